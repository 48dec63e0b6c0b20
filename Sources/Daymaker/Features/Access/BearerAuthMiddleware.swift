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
        let cache = request.application.principalCache
        let now = Date()
        var entry = cache.entry(for: hash, now: now)
        if entry == nil {
            guard let token = try await APIToken.query(on: request.db)
                .filter(\.$tokenHash == hash).filter(\.$revokedAt == nil).first(),
                let tokenID = token.id,
                let principal = try await Principal.load(userID: token.$user.id, scopes: token.scopeSet, on: request.db)
            else {
                throw Problem.unauthorized("The API token is unknown, revoked, or belongs to a deactivated user.")
            }
            entry = .init(principal: principal, tokenID: tokenID, expires: now.addingTimeInterval(cache.lifetime),
                          lastUsedAt: token.lastUsedAt)
            cache.store(entry!, for: hash)
        }
        guard let entry else { throw Problem.unauthorized() }
        if entry.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            cache.markUsed(hash, at: now)
            try await APIToken.query(on: request.db).filter(\.$id == entry.tokenID).set(\.$lastUsedAt, to: now).update()
        }
        try entry.principal.require(scope: [.GET, .HEAD].contains(request.method) ? .read : .write)
        request.principal = entry.principal
        return try await next.respond(to: request)
    }
}
