import DaymakerCore
import Fluent
import Vapor

/// `GET`/`PUT /api/v1/users/{id}/skills`: the languages, channels and nicknames routing matches a rep on.
/// Anyone who can see the user reads them; supervisors of the user's programs and admins change them.
struct UserSkillsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("users", ":userID", "skills", use: show)
        routes.put("users", ":userID", "skills", use: save)
    }

    @Sendable func show(req: Request) async throws -> UserSkills {
        let principal = try req.requirePrincipal()
        return UserSkills(try await UserController.visibleUser(req, principal))
    }

    @Sendable func save(req: Request) async throws -> UserSkills {
        let principal = try req.requirePrincipal()
        let user = try await UserController.visibleUser(req, principal)
        try principal.require(.supervisor)
        let skills = try req.decodeStrict(UserSkills.self).validated()
        try await skills.save(to: user, by: principal.userID, now: req.now, on: req.db)
        // Routing reads skills from a cache of each program's members (see `RosterCache`).
        await req.publish(.userChanged(try user.requireID()))
        return UserSkills(user)
    }
}

struct UserSkills: Content, Equatable {
    var languages: [String]
    var channels: [Contact.Channel]
    var nicknames: [String]

    init(languages: [String] = [], channels: [Contact.Channel] = [], nicknames: [String] = []) {
        self.languages = languages
        self.channels = channels
        self.nicknames = nicknames
    }

    init(_ user: User) {
        languages = user.languages ?? []
        channels = (user.channels ?? []).compactMap(Contact.Channel.init(rawValue:))
        nicknames = user.nicknames ?? []
    }

    /// Languages are ISO 639 codes (`en`, `es`, `yue`), at most 20; nicknames at most 10 of 40 characters each.
    /// Repeats are dropped, the order kept.
    func validated() throws(ValidationFailure) -> UserSkills {
        var v = FieldValidator()
        var copy = self
        if v.count(languages, "languages", max: 20, "languages") {
            for (index, code) in languages.enumerated() where !Self.isLanguageCode(code) {
                v.add("languages[\(index)]", "'\(code)' is not an ISO 639 language code such as en or es")
            }
        }
        if v.count(nicknames, "nicknames", max: 10, "nicknames") {
            copy.nicknames = nicknames.enumerated().compactMap { index, name in
                v.text(name, "nicknames[\(index)]", maxLength: 40)
            }
        }
        try v.finish()
        copy.languages = Self.unique(languages.map { $0.lowercased() })
        copy.channels = Self.unique(channels)
        copy.nicknames = Self.unique(copy.nicknames)
        return copy
    }

    func save(to user: User, by actor: UUID, now: Date, on db: any Database) async throws {
        user.languages = languages
        user.channels = channels.map(\.rawValue)
        user.nicknames = nicknames
        try await db.writeTransaction { db in
            try await user.save(on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: actor, action: "user.skills", recordType: "user", recordID: user.id,
                detail:
                    "languages \(languages.joined(separator: ",")); channels \(channels.map(\.rawValue).joined(separator: ","))"
            )
        }
    }

    static func isLanguageCode(_ code: String) -> Bool {
        (2...3).contains(code.count) && code.allSatisfy { $0.isASCII && $0.isLetter }
    }

    private static func unique<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }
}

extension User {
    /// The rep as routing sees them: every name a customer may ask for, what they serve, and their presence.
    func routingRep(presence: Presence, idleSince: Date? = nil, hasOffer: Bool = false) -> RoutingPolicy.Rep {
        RoutingPolicy.Rep(
            id: id!, names: [displayName, fullName] + (nicknames ?? []), presence: presence, idleSince: idleSince,
            languages: Set(languages ?? []), channels: Set(channels ?? []), hasOffer: hasOffer)
    }
}
