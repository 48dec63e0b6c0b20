import DaymakerCore
import Fluent
import Vapor

/// `daymaker token create --user EMAIL --scope read --scope write [--name NAME] [--expires-in DAYS]`: prints the
/// token once.
struct TokenCommand: AsyncCommandGroup {
    var help: String { "Manage API tokens" }
    var commands: [String: any AnyAsyncCommand] { ["create": Create()] }

    struct Create: DaymakerCommand {
        struct Signature: CommandSignature {
            @Option(name: "user", help: "Email of the user the token acts for") var user: String?
            @Option(name: "scope", help: "read, write, admin or telephony; repeat it or separate with commas")
            var scopes: String?
            @Option(name: "name", help: "What the token is for") var name: String?
            @Option(name: "expires-in", help: "Days until the token stops working (1–3650); default: never")
            var expiresIn: String?
        }

        var help: String { "Create an API token; it is shown once and only its hash is stored" }
        var listOptions: Set<String> { ["scope"] }
        var examples: [String] {
            [
                "daymaker token create --user pbx@example.org --scope telephony --name \"Front desk PBX\" --expires-in 365",
                "daymaker token create --user maria@example.org --scope read --scope write --name reporting",
            ]
        }

        func run(using context: CommandContext, signature: Signature) async throws {
            let db = context.application.db
            guard let email = signature.user else {
                throw CommandLineError.invalid("user", "is required: the email of a user")
            }
            guard let user = try await User.query(on: db).filter(\.$email == email.lowercased()).first() else {
                throw CommandLineError.invalid("user", "there is no user with email '\(email)'")
            }
            let (_, token) = try await APITokens.create(
                for: user, name: signature.name ?? "command line", scopeNames: CommandLineInput.list(signature.scopes),
                expiresInDays: signature.expiresIn, actor: nil, now: context.application.clock.now, on: db)
            context.console.print(token)
        }
    }
}

/// Creating and revoking API tokens (command line and admin pages).
enum APITokens {
    static let prefix = "dmk_"
    static let maxLifetimeDays = 3650

    /// Creates a token and returns it with the secret, which is never stored.
    ///
    /// - Parameter expiresInDays: whole days until it stops working, as typed (blank: never).
    static func create(
        for user: User, name: String, scopeNames: [String], expiresInDays: String? = nil, actor: UUID?,
        now: Date, on db: any Database
    ) async throws -> (APIToken, String) {
        var v = FieldValidator()
        let cleanName = v.text(name, "name", maxLength: 80)
        var expiresAt: Date?
        if let raw = expiresInDays?.nilIfBlank {
            if let days = Int(raw), (1...maxLifetimeDays).contains(days) {
                expiresAt = now.addingTimeInterval(Double(days) * 86_400)
            } else {
                v.add("expiresIn", "must be a whole number of days from 1 to \(maxLifetimeDays), or blank for never")
            }
        }
        var scopes: Set<Scope> = []
        for (index, scopeName) in scopeNames.enumerated() {
            if let scope = Scope(rawValue: scopeName.lowercased()) {
                scopes.insert(scope)
            } else {
                v.add("scope[\(index)]", "'\(scopeName)' is not one of \(Scope.choices)")
            }
        }
        v.check(!scopeNames.isEmpty, "scope", "give at least one scope: \(Scope.choices)")
        if scopes.contains(.admin), user.role != .admin { v.add("scope", "only admins can hold the admin scope") }
        try v.finish()
        let secret = SecureToken.random(prefix: prefix)
        let token = APIToken(
            userID: try user.requireID(), name: cleanName ?? name, scopes: scopes, tokenHash: SecureToken.hash(secret),
            expiresAt: expiresAt)
        try await token.create(on: db)
        try await AuditEntry.record(
            on: db, at: now, actor: actor ?? user.id, action: "token.created", recordType: "api_token",
            recordID: token.id,
            detail: "for user \(try user.requireID().uuidString); scopes \(token.scopes)"
                + (expiresAt.map { "; expires \(ISO8601.format($0))" } ?? ""))
        return (token, secret)
    }
}
