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
        let view = FormView(email: String((form.email ?? "").prefix(254)), next: Self.next(form.next))
        guard !view.email.isEmpty, let password = form.password, !password.isEmpty else {
            return try await refuse(.incomplete, view, req)
        }
        let outcome: SignIn.Outcome
        do {
            outcome = try await req.application.signInGate.admit(address: req.clientAddress) {
                try await SignIn.attempt(
                    email: view.email, password: password, app: req.application, db: req.db, now: req.now)
            } failed: { outcome in
                if case .signedIn = outcome { false } else { true }
            }
        } catch let refusal as SignInGate.Refusal {
            return try await refuse(.busyNetwork(retryAfter: refusal.retryAfter), view, req)
        }
        guard case .signedIn(let userID) = outcome else {
            return try await refuse(.init(outcome, now: req.now), view, req)
        }
        return try await startSession(userID, then: view.next, req)
    }

    /// Signs the user in: a new session cookie, and a new CSRF nonce (one planted or seen before sign-in is worth
    /// nothing after it).
    private func startSession(_ userID: UUID, then next: String, _ req: Request) async throws -> Response {
        let token = try await SignIn.startSession(userID: userID, db: req.db, now: req.now)
        let response = req.seeOther(next)
        response.cookies[req.sessionCookieName] = .daymaker(
            token, request: req, maxAge: Int(SessionAuthMiddleware.lifetime))
        response.cookies[req.csrfCookieName] = .daymaker(SecureToken.random(), request: req)
        return response
    }

    /// Why a sign-in did not happen, in words and a status (and, when waiting helps, how long to wait).
    enum Refusal {
        case incomplete, invalid, inactive
        case busyNetwork(retryAfter: Int)
        case locked(retryAfter: Int)

        init(_ outcome: SignIn.Outcome, now: Date) {
            switch outcome {
            case .signedIn, .invalid: self = .invalid
            case .inactive: self = .inactive
            case .locked(let until): self = .locked(retryAfter: max(1, Int(until.timeIntervalSince(now).rounded(.up))))
            }
        }

        var message: String {
            switch self {
            case .incomplete: "Enter your email address and password."
            case .invalid: "That email address and password do not match."
            case .inactive: "This account has been deactivated. Ask an admin."
            case .busyNetwork(let seconds):
                "Too many sign-in attempts from your network just now. Wait \(seconds) seconds and try again."
            case .locked(let seconds):
                "Too many failed sign-ins for this email address. Try again in \((seconds + 59) / 60) minutes or ask an admin."
            }
        }

        var status: HTTPResponseStatus {
            switch self {
            case .incomplete: .unprocessableEntity
            case .invalid: .unauthorized
            case .inactive: .forbidden
            case .busyNetwork, .locked: .tooManyRequests
            }
        }

        var retryAfter: Int? {
            switch self {
            case .busyNetwork(let seconds), .locked(let seconds): seconds
            case .incomplete, .invalid, .inactive: nil
            }
        }
    }

    private func refuse(_ refusal: Refusal, _ view: FormView, _ req: Request) async throws -> Response {
        var view = view
        view.error = refusal.message
        let response = try await req.page("sign-in", title: "Sign in", view, status: refusal.status)
        if let seconds = refusal.retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds)) }
        return response
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
