import Fluent
import Vapor

/// Authenticates API requests by `Authorization: Bearer <token>` and checks the scope the method needs:
/// `read` for GET and HEAD, `write` for everything else.
struct BearerAuthMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let bearer = request.headers.bearerAuthorization else {
            throw Problem.unauthorized("Send an API token as Authorization: Bearer <token>.")
        }
        let hash = SecureToken.hash(bearer.token)
        guard let token = try await APIToken.query(on: request.db)
            .filter(\.$tokenHash == hash)
            .filter(\.$revokedAt == nil)
            .first(),
            let principal = try await Principal.load(userID: token.$user.id, scopes: token.scopeSet, on: request.db)
        else {
            throw Problem.unauthorized("The API token is unknown, revoked, or belongs to a deactivated user.")
        }
        let now = Date()
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            token.lastUsedAt = now
            try await token.save(on: request.db)
        }
        try principal.require(scope: [.GET, .HEAD].contains(request.method) ? .read : .write)
        request.principal = principal
        return try await next.respond(to: request)
    }
}
