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
        try await req.page("sign-in", title: "Sign in", FormView(next: Self.next(req.query[String.self, at: "next"])))
    }

    @Sendable func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        let email = String((form.email ?? "").prefix(254))
        let next = Self.next(form.next)
        func refuse(_ message: String, status: HTTPResponseStatus, retryAfter: Int? = nil) async throws -> Response {
            let response = try await req.page(
                "sign-in", title: "Sign in", FormView(email: email, next: next, error: message), status: status)
            if let retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: String(retryAfter)) }
            return response
        }
        guard !email.isEmpty, let password = form.password, !password.isEmpty else {
            return try await refuse("Enter your email address and password.", status: .unprocessableEntity)
        }
        let outcome: SignIn.Outcome
        do {
            outcome = try await req.application.signInGate.admit(address: req.clientAddress) {
                try await SignIn.attempt(email: email, password: password, app: req.application, db: req.db, now: req.now)
            } failed: { outcome in
                if case .signedIn = outcome { false } else { true }
            }
        } catch let refusal as SignInGate.Refusal {
            return try await refuse(
                "Too many sign-in attempts from your network just now. Wait \(refusal.retryAfter) seconds and try again.",
                status: .tooManyRequests, retryAfter: refusal.retryAfter)
        }
        switch outcome {
        case .signedIn(let userID):
            let token = try await SignIn.startSession(userID: userID, db: req.db, now: req.now)
            let response = req.seeOther(next)
            response.cookies[req.sessionCookieName] = .daymaker(token, request: req, maxAge: Int(SessionAuthMiddleware.lifetime))
            // A new session gets a new CSRF nonce: one planted or seen before sign-in is worth nothing after it.
            response.cookies[req.csrfCookieName] = .daymaker(SecureToken.random(), request: req)
            return response
        case .invalid:
            return try await refuse("That email address and password do not match.", status: .unauthorized)
        case .locked(let until):
            let seconds = max(1, Int(until.timeIntervalSince(req.now).rounded(.up)))
            return try await refuse(
                "Too many failed sign-ins for this email address. Try again in \((seconds + 59) / 60) minutes or ask an admin.",
                status: .tooManyRequests, retryAfter: seconds)
        case .inactive:
            return try await refuse("This account has been deactivated. Ask an admin.", status: .forbidden)
        }
    }

    @Sendable func signOut(req: Request) async throws -> Response {
        if let token = req.cookies[req.sessionCookieName]?.string {
            try await UserSession.query(on: req.db).filter(\.$tokenHash == SecureToken.hash(token)).delete()
        }
        let response = req.seeOther("/sign-in")
        response.cookies[req.sessionCookieName] = .expired
        response.cookies[req.csrfCookieName] = .daymaker(SecureToken.random(), request: req)
        return response
    }

    /// Where to go after signing in: the one place a `next` from a link or a form is read. Only a safe path on
    /// this site is followed; anything else goes to `/`.
    static func next(_ raw: String?) -> String {
        LocalPath(raw)?.description ?? "/"
    }
}
