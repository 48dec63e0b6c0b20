import Vapor

/// The outermost middleware: every response leaves through here, error pages and problems included.
///
/// - Adds conservative security headers (pages use no external assets, so the policy is strict), HSTS when
///   Daymaker is served over https, and `Cache-Control: no-store` unless a route chose its own caching (only the
///   shipped stylesheet and scripts do): API answers and pages carry personal data.
/// - Refuses to send any header value holding CR, LF or NUL, whatever set it: the response is replaced by a plain
///   500, so no value from a request can ever split a header or plant one.
///
/// Future-based on purpose, like the other middleware every request passes: an `AsyncMiddleware` starts a task
/// and hops threads on each request.
struct SecurityHeadersMiddleware: Middleware {
    let strictTransportSecurity: Bool

    init(config: AppConfig) {
        strictTransportSecurity = config.usesHTTPS
    }

    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            if let name = Self.unsafeHeaderName(response.headers) {
                request.logger.error(
                    "Refused to send a response header holding a line break or NUL", metadata: ["header": "\(name)"])
                return Self.secure(
                    Response(status: .internalServerError, body: .init(staticString: "Internal error\n")))
            }
            return Self.secure(response, hsts: strictTransportSecurity)
        }
    }

    private static func secure(_ response: Response, hsts: Bool = false) -> Response {
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: contentSecurityPolicy)
        if hsts { response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000") }
        if !response.headers.contains(name: .cacheControl) {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }

    /// The name of the first header whose name or value holds CR, LF or NUL.
    static func unsafeHeaderName(_ headers: HTTPHeaders) -> String? {
        for (name, value) in headers where containsBreak(name) || containsBreak(value) {
            return name.utf8.contains { $0 < 0x20 } ? "(unprintable)" : name
        }
        return nil
    }

    private static func containsBreak(_ text: String) -> Bool {
        text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }
}
