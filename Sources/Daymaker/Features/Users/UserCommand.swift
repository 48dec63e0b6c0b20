import Fluent
import Vapor

/// `daymaker user create --email … --name … --role rep|supervisor|admin [--program CODE …]`; the password is read
/// from standard input, never taken as an argument.
struct UserCommand: AsyncCommandGroup {
    var help: String { "Manage users" }
    var commands: [String: any AnyAsyncCommand] { ["create": Create()] }

    struct Create: DaymakerCommand {
        struct Signature: CommandSignature {
            @Option(name: "email", help: "Sign-in email address") var email: String?
            @Option(name: "name", help: "Full name") var name: String?
            @Option(name: "display-name", help: "Name customers hear (default: first name)") var displayName: String?
            @Option(name: "role", help: "rep, supervisor or admin") var role: String?
            @Option(name: "program", help: "Program code; repeat it or separate with commas") var programs: String?
        }

        var help: String { "Create a user; the password is read from standard input" }
        var listOptions: Set<String> { ["program"] }
        var fieldOptions: [String: String] {
            ["fullName": "name", "programs": "program", "password": "(standard input)"]
        }
        var examples: [String] {
            [
                "daymaker user create --email sarah@example.org --name \"Sarah Johnson\" --role rep --program RIDE",
                "echo 'a long passphrase' | daymaker user create --email maria@example.org --name \"Maria Lopez\" --role supervisor --program RIDE --program HELP",
            ]
        }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            guard let role = signature.role.flatMap({ Role(rawValue: $0.lowercased()) }) else {
                throw CommandLineError.invalid(
                    "role",
                    signature.role.map { "'\($0)' is not one of \(Role.choices)" } ?? "is required: \(Role.choices)")
            }
            let password = CommandLineInput.secret(prompt: "Password: ", console: context.console)
            let user = try await UserAccounts.create(
                email: signature.email, fullName: signature.name, displayName: signature.displayName, role: role,
                password: password, programCodes: CommandLineInput.list(signature.programs), actor: nil,
                app: app, db: app.db)
            context.console.print("Created \(role.rawValue) \(user.email) (\(try user.requireID().lowercaseText))")
        }
    }
}
