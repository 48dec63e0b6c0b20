import Fluent
import Vapor

/// The sign-in form, sign-in and sign-out.
struct SignInController: RouteCollection {
    struct FormView: Encodable {
        var email = ""
        var next = "/"
        var error: String?
    }

    struct SignInForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", use: form)
        routes.post("sign-in", use: signIn)
        routes.grouped(SessionAuthMiddleware(required: false)).post("sign-out", use: signOut)
    }

    @Sendable func form(req: Request) async throws -> Response {
        let next = Self.safeNext(req.query[String.self, at: "next"])
        return try await req.page("sign-in", title: "Sign in", FormView(next: next))
    }

    @Sendable func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        let email = form.email ?? ""
        let next = Self.safeNext(form.next)
        func refuse(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            try await req.page("sign-in", title: "Sign in", FormView(email: email, next: next, error: message), status: status)
        }
        guard !email.isEmpty, let password = form.password, !password.isEmpty else {
            return try await refuse("Enter your email address and password.", status: .unprocessableEntity)
        }
        switch try await SignIn.attempt(email: email, password: password, app: req.application, db: req.db) {
        case .signedIn(let userID):
            let token = try await SignIn.startSession(userID: userID, db: req.db)
            let response = req.redirect(to: next)
            response.cookies[SessionAuthMiddleware.cookieName] = .daymaker(
                token, request: req, maxAge: Int(SessionAuthMiddleware.lifetime))
            return response
        case .invalid:
            return try await refuse("That email address and password do not match.", status: .unauthorized)
        case .locked(let until):
            let minutes = max(1, Int((until.timeIntervalSinceNow / 60).rounded(.up)))
            return try await refuse(
                "This account is locked after too many failed sign-ins. Try again in \(minutes) minutes or ask an admin.",
                status: .tooManyRequests)
        case .inactive:
            return try await refuse("This account has been deactivated. Ask an admin.", status: .forbidden)
        }
    }

    @Sendable func signOut(req: Request) async throws -> Response {
        if let token = req.cookies[SessionAuthMiddleware.cookieName]?.string {
            try await UserSession.query(on: req.db).filter(\.$tokenHash == SecureToken.hash(token)).delete()
        }
        let response = req.redirect(to: "/sign-in")
        response.cookies[SessionAuthMiddleware.cookieName] = .expired
        return response
    }

    /// Only same-site paths are followed after sign-in.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\") else { return "/" }
        return raw
    }
}
