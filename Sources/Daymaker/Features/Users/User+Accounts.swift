import DaymakerCore
import Fluent
import Vapor

/// A user as the API shows it (never the password hash).
struct UserDTO: Content, Equatable {
    @LowercaseID var id: UUID
    var email: String
    var fullName: String
    var displayName: String
    var role: Role
    var active: Bool
    var programs: [String]
}

/// Creating and changing user accounts: shared by the API, the admin pages and the command line.
/// Every change of role, membership or active flag is written to the audit log.
enum UserAccounts {
    static let minimumPasswordLength = 10

    struct Changes {
        var fullName: String?
        var displayName: String?
        var role: Role?
        var active: Bool?
        var programCodes: [String]?
        var password: String?
    }

    static func create(
        email: String?, fullName: String?, displayName: String?, role: Role, password: String?,
        programCodes: [String], actor: UUID?, app: Application, db: any Database
    ) async throws -> User {
        var v = FieldValidator()
        let address = v.text(email, "email", maxLength: 254)?.lowercased()
        if let address, !EmailAddress.isPlausible(address) { v.add("email", "is not an email address") }
        let name = v.text(fullName, "fullName", maxLength: 120)
        let display = v.text(
            displayName ?? name?.split(separator: " ").first.map(String.init), "displayName", maxLength: 60)
        checkPassword(password, into: &v)
        let programs = try await resolve(programCodes, into: &v, on: db)
        try v.finish()
        guard let address, let name, let display, let password else {
            throw ValidationFailure(field: "email", "is required")
        }
        if try await User.query(on: db).filter(\.$email == address).count() > 0 {
            throw UserError.emailTaken(address)
        }
        let hash = try await app.hashPassword(password)
        let now = app.clock.now
        let user = try await db.writeTransaction { tx in
            let user = User(email: address, fullName: name, displayName: display, role: role, passwordHash: hash)
            try await user.create(on: tx)
            try await user.$programs.attach(programs, on: tx)
            try await AuditEntry.record(
                on: tx, at: now, actor: actor, action: "user.created", recordType: "user", recordID: user.id,
                detail: "role \(role.rawValue); programs \(programs.map(\.code).joined(separator: ","))")
            return user
        }
        // A new member of a program is someone routing may offer contacts to (see `RosterCache`).
        await app.events.publish(.userChanged(try user.requireID()), on: db)
        return user
    }

    static func update(_ user: User, _ changes: Changes, actor: UUID?, app: Application, db: any Database) async throws
    {
        var v = FieldValidator()
        if let fullName = changes.fullName {
            user.fullName = v.text(fullName, "fullName", maxLength: 120) ?? user.fullName
        }
        if let display = changes.displayName {
            user.displayName = v.text(display, "displayName", maxLength: 60) ?? user.displayName
        }
        if changes.password != nil { checkPassword(changes.password, into: &v) }
        var programs: [Program]?
        if let codes = changes.programCodes { programs = try await resolve(codes, into: &v, on: db) }
        try v.finish()
        if actor == user.id, changes.role.map({ $0 < user.role }) == true || changes.active == false {
            throw UserError.ownAccess
        }
        var newHash: String?
        if let password = changes.password { newHash = try await app.hashPassword(password) }
        let userID = try user.requireID()
        let (newPrograms, passwordHash, now) = (programs, newHash, app.clock.now)
        try await db.writeTransaction { tx in
            var audit: [String] = []
            if let role = changes.role, role != user.role {
                audit.append("role \(user.role.rawValue) → \(role.rawValue)")
                user.role = role
            }
            if let active = changes.active, active != user.active {
                audit.append(active ? "reactivated" : "deactivated")
                user.active = active
                if !active { try await UserSession.query(on: tx).filter(\.$user.$id == userID).delete() }
            }
            if let passwordHash {
                // A new password ends every session of the user, and an admin's reset also every API token: whoever
                // knew the old password must not stay in through what it opened.
                user.passwordHash = passwordHash
                try await UserSession.query(on: tx).filter(\.$user.$id == userID).delete()
                try await SignInFailures.clear(key: SignInFailures.key(for: user.email), on: tx)
                if actor != userID {
                    try await APIToken.query(on: tx).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
                        .set(\.$revokedAt, to: now).update()
                    audit.append("password reset; sessions ended; API tokens revoked")
                } else {
                    audit.append("password changed; sessions ended")
                }
            }
            try await user.save(on: tx)
            if let programs = newPrograms {
                let current = try await user.$programs.get(reload: true, on: tx)
                let currentCodes = Set(current.map(\.code))
                let newCodes = Set(programs.map(\.code))
                if currentCodes != newCodes {
                    try await user.$programs.detachAll(on: tx)
                    try await user.$programs.attach(programs, on: tx)
                    audit.append(
                        "programs \(currentCodes.sorted().joined(separator: ",")) → \(newCodes.sorted().joined(separator: ","))"
                    )
                }
            }
            if !audit.isEmpty {
                try await AuditEntry.record(
                    on: tx, at: now, actor: actor, action: "user.permissions-changed", recordType: "user",
                    recordID: userID, detail: audit.joined(separator: "; "))
            }
        }
        // After the commit: a request that loads the user again must find the change.
        await app.events.publish(.userChanged(userID), on: db)
    }

    /// One page of the users the principal may see (admins: everyone; others: members of their programs), by email.
    static func page(
        visibleTo principal: Principal, _ page: PageRequest, on db: any Database
    ) async throws -> ItemPage<UserDTO> {
        let query = User.query(on: db)
        if let programs = principal.visiblePrograms {
            let ids = try await ProgramMembership.query(on: db).filter(\.$program.$id ~~ Array(programs)).all().map {
                $0.$user.id
            }
            query.filter(\.$id ~~ Set(ids))
        }
        if let cursor = page.cursor {
            query.group(.or) { or in
                or.filter(\.$email > cursor.key)
                or.group(.and) { $0.filter(\.$email == cursor.key).filter(\.$id > cursor.id) }
            }
        }
        let rows = try await query.sort(\.$email).sort(\.$id).limit(page.limit + 1).all()
        let items = Array(rows.prefix(page.limit))
        var dtos: [UserDTO] = []
        for user in items { dtos.append(try await dto(user, on: db)) }
        let next =
            rows.count > page.limit
            ? items.last.flatMap { u in u.id.map { Cursor(key: u.email, id: $0).encoded } } : nil
        return ItemPage(items: dtos, nextCursor: next)
    }

    static func dto(_ user: User, on db: any Database) async throws -> UserDTO {
        let programs = try await user.$programs.get(reload: true, on: db).map(\.code).sorted()
        return UserDTO(
            id: try user.requireID(), email: user.email, fullName: user.fullName, displayName: user.displayName,
            role: user.role, active: user.active, programs: programs)
    }

    private static func checkPassword(_ password: String?, into v: inout FieldValidator) {
        guard let password, password.count >= minimumPasswordLength else {
            v.add("password", "must be at least \(minimumPasswordLength) characters")
            return
        }
        if password.utf8.count > SignIn.maxPasswordBytes {
            v.add(
                "password",
                "must be at most \(SignIn.maxPasswordBytes) bytes (bcrypt ignores the rest); use fewer or plainer characters"
            )
        }
    }

    private static func resolve(
        _ codes: [String], into v: inout FieldValidator, on db: any Database
    ) async throws -> [Program] {
        var programs: [Program] = []
        for (index, code) in codes.enumerated() {
            if let program = try await Program.find(code: code, on: db) {
                if !programs.contains(where: { $0.id == program.id }) { programs.append(program) }
            } else {
                v.add("programs[\(index)]", "there is no program with code '\(code)'")
            }
        }
        return programs
    }
}
