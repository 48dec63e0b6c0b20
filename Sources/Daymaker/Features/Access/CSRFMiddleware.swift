import DaymakerCore
import Vapor

/// Protects every page form: a random nonce lives in an HttpOnly cookie, and each form carries
/// `_csrf` = HMAC(session secret, nonce and session cookie). A POST without a matching value is refused.
///
/// Binding the token to the session cookie, and a new nonce at sign-in and sign-out, mean a token seen or planted
/// before sign-in is worth nothing after it.
struct CSRFMiddleware: AsyncMiddleware {
    static let fieldName = "_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = request.cookies[request.csrfCookieName]?.string
        let nonce = existing ?? SecureToken.random()
        request.csrfToken = Self.token(nonce: nonce, request: request)

        if ![.GET, .HEAD].contains(request.method) {
            let sent = try? request.content.get(String.self, at: Self.fieldName)
            guard existing != nil, let sent, ConstantTime.equals(sent, request.csrfToken) else {
                throw Problem.forbidden(
                    "This form has expired or did not come from Daymaker. Go back, reload the page and try again.")
            }
        }
        let response = try await next.respond(to: request)
        if existing == nil, response.cookies[request.csrfCookieName] == nil {
            response.cookies[request.csrfCookieName] = .daymaker(nonce, request: request)
        }
        return response
    }

    private static func token(nonce: String, request: Request) -> String {
        let session = request.cookies[request.sessionCookieName]?.string ?? ""
        return SecureToken.sign(nonce + "." + session, secret: request.application.config.sessionSecret)
    }
}

extension Request {
    private struct CSRFKey: StorageKey { typealias Value = String }

    /// The value every form on this page must post back as `_csrf`.
    var csrfToken: String {
        get { storage[CSRFKey.self] ?? "" }
        set { storage[CSRFKey.self] = newValue }
    }

    /// The session cookie's name: `__Host-` prefixed over https, so no other host or path can set it.
    var sessionCookieName: String { application.config.cookieName("daymaker_session") }

    /// The CSRF nonce cookie's name, prefixed like the session cookie's.
    var csrfCookieName: String { application.config.cookieName("daymaker_csrf") }
}

extension HTTPCookies.Value {
    /// An HttpOnly, SameSite=Lax cookie for the whole site, Secure when Daymaker is served over https.
    static func daymaker(_ value: String, request: Request, maxAge: Int? = nil) -> HTTPCookies.Value {
        .init(
            string: value, maxAge: maxAge, path: "/",
            isSecure: request.application.config.usesHTTPS, isHTTPOnly: true, sameSite: .lax)
    }
}
