import Vapor

/// Conservative security headers on every response. Pages use no external assets, so the policy is strict.
///
/// Future-based on purpose, like the other middleware every request passes: an `AsyncMiddleware` starts a task
/// and hops threads on each request.
struct SecurityHeadersMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
            response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
            response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy",
                value: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'")
            return response
        }
    }
}
