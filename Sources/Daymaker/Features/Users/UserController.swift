import DaymakerCore
import Fluent
import Vapor

struct UserCreateRequest: Content {
    var email: String
    var fullName: String
    var displayName: String?
    var role: Role
    var password: String
    var programs: [String]?
}

struct UserUpdateRequest: Content {
    var fullName: String?
    var displayName: String?
    var role: Role?
    var active: Bool?
    var programs: [String]?
    var password: String?
}

/// `GET /api/v1/me`: the user the token acts for, and the token itself (its scopes and when it expires).
struct MeDTO: Content {
    struct Token: Content, Equatable {
        var name: String
        var scopes: [String]
        /// Nil: the token works until it is revoked.
        var expiresAt: Date?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(scopes, forKey: .scopes)
            try c.encode(expiresAt, forKey: .expiresAt)
        }
    }

    var user: UserDTO
    var token: Token?

    enum CodingKeys: String, CodingKey { case token }

    init(user: UserDTO, token: Token?) {
        self.user = user
        self.token = token
    }

    init(from decoder: any Decoder) throws {
        user = try UserDTO(from: decoder)
        token = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Token.self, forKey: .token)
    }

    func encode(to encoder: any Encoder) throws {
        try user.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(token, forKey: .token)
    }
}

/// `/api/v1/users` and `/api/v1/me`. Supervisors see the users of their programs; admins manage everyone.
struct UserController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("me", use: me)
        let users = routes.grouped("users")
        users.get(use: list)
        users.post(use: create)
        users.get(":userID", use: show)
        users.patch(":userID", use: update)
    }

    @Sendable func me(req: Request) async throws -> MeDTO {
        let principal = try req.requirePrincipal()
        guard let user = try await User.find(principal.userID, on: req.db) else { throw Problem.unauthorized() }
        var token: APIToken?
        if let bearer = req.headers.bearerAuthorization {
            token = try await APIToken.query(on: req.db).filter(\.$tokenHash == SecureToken.hash(bearer.token)).first()
        }
        return MeDTO(
            user: try await UserAccounts.dto(user, on: req.db),
            token: token.map { .init(name: $0.name, scopes: $0.scopeSet.map(\.rawValue).sorted(), expiresAt: $0.expiresAt) })
    }

    @Sendable func list(req: Request) async throws -> ItemPage<UserDTO> {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        let page = try PageRequest(req)
        let query = User.query(on: req.db)
        if let programs = principal.visiblePrograms {
            let ids = try await ProgramMembership.query(on: req.db).filter(\.$program.$id ~~ Array(programs)).all()
                .map { $0.$user.id }
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
        for user in items { dtos.append(try await UserAccounts.dto(user, on: req.db)) }
        let next = rows.count > page.limit ? items.last.flatMap { u in u.id.map { Cursor(key: u.email, id: $0).encoded } } : nil
        return ItemPage(items: dtos, nextCursor: next)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.admin)
        let body = try req.decodeStrict(UserCreateRequest.self)
        let user = try await UserAccounts.create(
            email: body.email, fullName: body.fullName, displayName: body.displayName, role: body.role,
            password: body.password, programCodes: body.programs ?? [], actor: principal.userID,
            app: req.application, db: req.db)
        let response = try await UserAccounts.dto(user, on: req.db).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/users/\(try user.requireID())")
        return response
    }

    @Sendable func show(req: Request) async throws -> UserDTO {
        let principal = try req.requirePrincipal()
        return try await UserAccounts.dto(try await Self.visibleUser(req, principal), on: req.db)
    }

    @Sendable func update(req: Request) async throws -> UserDTO {
        let principal = try req.requirePrincipal()
        let user = try await Self.visibleUser(req, principal)
        try principal.require(.admin)
        let body = try req.decodeStrict(UserUpdateRequest.self)
        try await UserAccounts.update(
            user,
            .init(fullName: body.fullName, displayName: body.displayName, role: body.role, active: body.active,
                  programCodes: body.programs, password: body.password),
            actor: principal.userID, app: req.application, db: req.db)
        return try await UserAccounts.dto(user, on: req.db)
    }

    /// Anyone sees themselves; supervisors see users who share a program; admins see all. Others are 404.
    static func visibleUser(_ req: Request, _ principal: Principal) async throws -> User {
        let id = try req.uuidParameter("userID", "User")
        guard let user = try await User.find(id, on: req.db) else { throw NotFound("User") }
        if id == principal.userID || principal.role == .admin { return user }
        guard principal.role >= .supervisor else { throw NotFound("User") }
        let shared = try await ProgramMembership.query(on: req.db)
            .filter(\.$user.$id == id).filter(\.$program.$id ~~ Array(principal.programIDs)).count()
        guard shared > 0 else { throw NotFound("User") }
        return user
    }
}

