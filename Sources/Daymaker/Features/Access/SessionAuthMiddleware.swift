import Fluent
import Vapor

/// Reads the session cookie of a signed-in browser. With `required`, a missing session is a 401,
/// which pages turn into a redirect to the sign-in form.
struct SessionAuthMiddleware: AsyncMiddleware {
    static let lifetime: TimeInterval = 12 * 60 * 60

    var required = true

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let token = request.cookies[request.sessionCookieName]?.string,
            let session = try await UserSession.query(on: request.db)
                .filter(\.$tokenHash == SecureToken.hash(token))
                .filter(\.$expiresAt > request.now)
                .first()
        {
            request.principal = try await Principal.load(userID: session.$user.id, scopes: nil, on: request.db)
        }
        if required, request.principal == nil { throw Problem.unauthorized() }
        return try await next.respond(to: request)
    }
}
