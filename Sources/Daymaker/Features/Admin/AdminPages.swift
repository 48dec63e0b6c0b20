import DaymakerCore
import Fluent
import Vapor

/// Admin pages for programs, users and API tokens. Admins only.
struct AdminPages: RouteCollection {
    struct ProgramsView: Encodable {
        let programs: [ProgramDTO]
        let form: [String: String]
        let errors: [FieldError]
        let notice: String?
    }

    struct UsersView: Encodable {
        struct Row: Encodable {
            let id: UUID
            let email: String
            let fullName: String
            let displayName: String
            let role: String
            let active: Bool
            let programs: String
        }
        let users: [Row]
        let programCodes: [String]
        let form: [String: String]
        let errors: [FieldError]
        let notice: String?
    }

    struct TokensView: Encodable {
        struct Row: Encodable {
            let id: UUID
            let name: String
            let user: String
            let scopes: String
            let createdAt: String
            let lastUsedAt: String
            let expiresAt: String
            let revoked: Bool
            let expired: Bool
        }
        let tokens: [Row]
        let userEmails: [String]
        let newToken: String?
        let errors: [FieldError]
    }

    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped("admin")
        admin.get("programs", use: programs)
        admin.post("programs", use: createProgram)
        admin.get("users", use: users)
        admin.post("users", use: createUser)
        admin.post("users", ":userID", use: updateUser)
        admin.get("tokens", use: tokens)
        admin.post("tokens", use: createToken)
        admin.post("tokens", ":tokenID", "revoke", use: revokeToken)
    }

    private func requireAdmin(_ req: Request) throws -> Principal {
        let principal = try req.requirePrincipal()
        try principal.require(.admin)
        return principal
    }

    // MARK: Programs

    @Sendable func programs(req: Request) async throws -> Response {
        _ = try requireAdmin(req)
        return try await renderPrograms(req, form: [:], errors: [], notice: req.notice)
    }

    @Sendable func createProgram(req: Request) async throws -> Response {
        let principal = try requireAdmin(req)
        let form = try req.content.decode([String: String].self)
        do {
            _ = try await Program.create(
                code: form["code"], name: form["name"], timeZone: form["timeZone"], country: form["country"],
                actor: principal.userID, now: req.now, on: req.db)
            return req.seeOther("/admin/programs", notice: .programCreated)
        } catch {
            guard let failure = FormFailure(error, field: "code") else { throw error }
            return try await renderPrograms(
                req, form: form, errors: failure.errors, notice: nil, status: failure.status)
        }
    }

    private func renderPrograms(
        _ req: Request, form: [String: String], errors: [FieldError], notice: String?, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let programs = try await Program.query(on: req.db).sort(\.$code).all().map(ProgramDTO.init)
        return try await req.page(
            "admin/programs", title: "Programs", section: "admin",
            ProgramsView(programs: programs, form: form, errors: errors, notice: notice), status: status)
    }

    // MARK: Users

    @Sendable func users(req: Request) async throws -> Response {
        _ = try requireAdmin(req)
        return try await renderUsers(req, form: [:], errors: [], notice: req.notice)
    }

    @Sendable func createUser(req: Request) async throws -> Response {
        let principal = try requireAdmin(req)
        let form = try req.content.decode([String: String].self)
        do {
            guard let role = Role(rawValue: form["role"] ?? "") else {
                throw ValidationFailure(field: "role", "choose rep, supervisor or admin")
            }
            _ = try await UserAccounts.create(
                email: form["email"], fullName: form["fullName"], displayName: form["displayName"]?.nilIfBlank,
                role: role, password: form["password"], programCodes: CommandLineInput.list(form["programs"]),
                actor: principal.userID, app: req.application, db: req.db)
            return req.seeOther("/admin/users", notice: .userCreated)
        } catch {
            guard let failure = FormFailure(error, field: "email") else { throw error }
            var kept = form
            kept["password"] = nil
            return try await renderUsers(req, form: kept, errors: failure.errors, notice: nil, status: failure.status)
        }
    }

    @Sendable func updateUser(req: Request) async throws -> Response {
        let principal = try requireAdmin(req)
        let id = try req.uuidParameter("userID", "User")
        guard let user = try await User.find(id, on: req.db) else { throw NotFound("User") }
        let form = try req.content.decode([String: String].self)
        do {
            try await UserAccounts.update(
                user,
                .init(
                    role: form["role"].flatMap(Role.init(rawValue:)), active: form["active"].map { $0 == "true" },
                    programCodes: form["programs"].map { CommandLineInput.list($0) }),
                actor: principal.userID, app: req.application, db: req.db)
            return req.seeOther("/admin/users", notice: .userUpdated)
        } catch {
            guard let failure = FormFailure(error, field: user.email) else { throw error }
            return try await renderUsers(req, form: [:], errors: failure.errors, notice: nil, status: failure.status)
        }
    }

    private func renderUsers(
        _ req: Request, form: [String: String], errors: [FieldError], notice: String?, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let users = try await User.query(on: req.db).with(\.$programs).sort(\.$email).all()
        let rows = users.compactMap { user in
            user.id.map {
                UsersView.Row(
                    id: $0, email: user.email, fullName: user.fullName, displayName: user.displayName,
                    role: user.role.rawValue, active: user.active,
                    programs: user.programs.map(\.code).sorted().joined(separator: ","))
            }
        }
        let codes = try await Program.query(on: req.db).sort(\.$code).all().map(\.code)
        return try await req.page(
            "admin/users", title: "Users", section: "admin",
            UsersView(users: rows, programCodes: codes, form: form, errors: errors, notice: notice),
            status: status)
    }

    // MARK: Tokens

    @Sendable func tokens(req: Request) async throws -> Response {
        _ = try requireAdmin(req)
        return try await renderTokens(req, newToken: nil, errors: [])
    }

    @Sendable func createToken(req: Request) async throws -> Response {
        let principal = try requireAdmin(req)
        let form = try req.content.decode([String: String].self)
        do {
            guard let email = form["user"],
                let user = try await User.query(on: req.db).filter(\.$email == email.lowercased()).first()
            else { throw ValidationFailure(field: "user", "choose a user") }
            let (_, secret) = try await APITokens.create(
                for: user, name: form["name"] ?? "", scopeNames: CommandLineInput.list(form["scopes"]),
                expiresInDays: form["expiresIn"], actor: principal.userID, now: req.now, on: req.db)
            return try await renderTokens(req, newToken: secret, errors: [], status: .created)
        } catch let failure as ValidationFailure {
            return try await renderTokens(req, newToken: nil, errors: failure.errors, status: .unprocessableEntity)
        }
    }

    @Sendable func revokeToken(req: Request) async throws -> Response {
        let principal = try requireAdmin(req)
        let id = try req.uuidParameter("tokenID", "Token")
        guard let token = try await APIToken.find(id, on: req.db) else { throw NotFound("Token") }
        if token.revokedAt == nil {
            token.revokedAt = req.now
            try await token.save(on: req.db)
            try await AuditEntry.record(
                on: req.db, at: req.now, actor: principal.userID, action: "token.revoked",
                recordType: "api_token", recordID: id, detail: token.name)
            await req.publish(.tokenRevoked(id))
        }
        return req.seeOther("/admin/tokens")
    }

    private func renderTokens(
        _ req: Request, newToken: String?, errors: [FieldError], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let tokens = try await APIToken.query(on: req.db).with(\.$user).sort(\.$createdAt, .descending).all()
        let now = req.now
        let zone = TimeZone(identifier: "UTC")!
        let rows = tokens.compactMap { token in
            token.id.map {
                TokensView.Row(
                    id: $0, name: token.name, user: token.user.email, scopes: token.scopes,
                    createdAt: token.createdAt.map { DisplayTime.format($0, in: zone) } ?? "",
                    lastUsedAt: token.lastUsedAt.map { DisplayTime.format($0, in: zone) } ?? "never",
                    expiresAt: token.expiresAt.map { DisplayTime.format($0, in: zone) } ?? "never",
                    revoked: token.revokedAt != nil, expired: token.expiresAt.map { $0 <= now } ?? false)
            }
        }
        let emails = try await User.query(on: req.db).filter(\.$active == true).sort(\.$email).all().map(\.email)
        return try await req.page(
            "admin/tokens", title: "API tokens", section: "admin",
            TokensView(tokens: rows, userEmails: emails, newToken: newToken, errors: errors),
            status: status)
    }
}
