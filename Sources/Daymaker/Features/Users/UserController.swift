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
            token: token.map {
                .init(name: $0.name, scopes: $0.scopeSet.map(\.rawValue).sorted(), expiresAt: $0.expiresAt)
            })
    }

    @Sendable func list(req: Request) async throws -> ItemPage<UserDTO> {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        return try await UserAccounts.page(visibleTo: principal, try PageRequest(req), on: req.db)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.admin)
        let body = try req.decodeStrict(UserCreateRequest.self)
        let user = try await UserAccounts.create(
            email: body.email, fullName: body.fullName, displayName: body.displayName, role: body.role,
            password: body.password, programCodes: body.programs ?? [], actor: principal.userID,
            app: req.application, db: req.db)
        return try await UserAccounts.dto(user, on: req.db).created(
            at: "/api/v1/users/\(try user.requireID().lowercaseText)", for: req)
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
            .init(
                fullName: body.fullName, displayName: body.displayName, role: body.role, active: body.active,
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
