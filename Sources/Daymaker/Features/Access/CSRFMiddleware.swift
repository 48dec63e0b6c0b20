import Vapor

/// Protects every page form: a random nonce lives in an HttpOnly cookie, and each form carries
/// `_csrf` = HMAC(session secret, nonce). A POST without a matching value is refused.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookieName = "daymaker_csrf"
    static let fieldName = "_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let secret = request.application.config.sessionSecret
        let existing = request.cookies[Self.cookieName]?.string
        let nonce = existing ?? SecureToken.random()
        request.csrfToken = SecureToken.sign(nonce, secret: secret)

        if ![.GET, .HEAD].contains(request.method) {
            let sent = try? request.content.get(String.self, at: Self.fieldName)
            guard let existing, let sent,
                SecureToken.constantTimeEquals(sent, SecureToken.sign(existing, secret: secret))
            else {
                throw Problem.forbidden(
                    "This form has expired or did not come from Daymaker. Go back, reload the page and try again.")
            }
        }
        let response = try await next.respond(to: request)
        if existing == nil {
            response.cookies[Self.cookieName] = .daymaker(nonce, request: request)
        }
        return response
    }
}

extension Request {
    private struct CSRFKey: StorageKey { typealias Value = String }

    /// The value every form on this page must post back as `_csrf`.
    var csrfToken: String {
        get { storage[CSRFKey.self] ?? "" }
        set { storage[CSRFKey.self] = newValue }
    }
}

extension HTTPCookies.Value {
    /// An HttpOnly, SameSite=Lax cookie, Secure when Daymaker is served over https.
    static func daymaker(_ value: String, request: Request, maxAge: Int? = nil) -> HTTPCookies.Value {
        .init(
            string: value, maxAge: maxAge, path: "/",
            isSecure: request.application.config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
}
