import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import Daymaker

@Suite struct SignInTests {
    @Test func signInSetsAHardenedSessionCookieAndSignOutEndsIt() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            var browser = try await BrowserSession.start(app)
            let response = try await browser.post(
                app, "/sign-in",
                form: [
                    "email": "REP@test.example", "password": World.password, "next": "/customers/abc",
                ])
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/customers/abc")
            let cookie = try #require(response.headers[.setCookie].first { $0.hasPrefix("daymaker_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
            // Only the hash of the session token is stored.
            let token = try #require(browser.cookies["daymaker_session"])
            let sessions = try await UserSession.query(on: app.db).all()
            #expect(sessions.map(\.tokenHash) == [SecureToken.hash(token)])
            #expect(try await browser.get(app, "/customers").status == .ok)

            let out = try await browser.post(app, "/sign-out", form: [:])
            #expect(out.status == .seeOther)
            #expect(try await UserSession.query(on: app.db).count() == 0)
            browser.cookies["daymaker_session"] = token
            let after = try await browser.get(app, "/customers")
            #expect(after.status == .seeOther)
            #expect(after.headers.first(name: .location) == "/sign-in?next=/customers")
        }
    }

    @Test func secureCookieWhenServedOverHTTPS() async throws {
        try await withApp(adjust: { $0.publicURL = URL(string: "https://daymaker.example.org")! }) { app in
            _ = try await World.make(on: app)
            var browser = try await BrowserSession.start(app)
            let response = try await browser.post(
                app, "/sign-in", form: ["email": "rep@test.example", "password": World.password])
            #expect(
                response.headers[.setCookie].contains {
                    $0.hasPrefix("__Host-daymaker_session=") && $0.contains("Secure")
                })
        }
    }

    @Test func nextMustBeASafePathOnThisSite() {
        #expect(SignInController.next("/customers?q=1&program=RIDE") == "/customers?q=1&program=RIDE")
        #expect(SignInController.next("/customers/%C3%A9") == "/customers/%C3%A9")
        for unsafe in [
            "//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/example.org", "\t/desk",
            "/desk\r\nSet-Cookie: daymaker_csrf=ATTACKER; Path=/\r\nX-Injected: yes", "/desk\nX: y", "/desk\0",
            "/café", "/a b", "/%zz", "desk", "", "/desk#frag",
        ] {
            #expect(SignInController.next(unsafe) == "/", "\(unsafe.debugDescription)")
        }
        #expect(SignInController.next(nil) == "/")
    }

    @Test func aCraftedNextNeitherInjectsHeadersNorLeavesTheSite() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            let injection = "/desk\r\nSet-Cookie: daymaker_csrf=ATTACKER; Path=/\r\nX-Injected: yes"
            var browser = BrowserSession()
            let form = try await browser.get(
                app, "/sign-in?next=" + injection.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(form.status == .ok)
            #expect(form.body.string.contains(#"name="next" value="/""#))
            for next in [injection, "/\t/example.org"] {
                _ = try await browser.get(app, "/sign-in")
                let response = try await browser.post(
                    app, "/sign-in",
                    form: [
                        "email": "rep@test.example", "password": World.password, "next": next,
                    ])
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/")
                #expect(!response.headers.contains(name: "X-Injected"))
                #expect(!response.headers[.setCookie].contains { $0.contains("ATTACKER") })
            }
        }
    }

    @Test func noResponseHeaderCanCarryALineBreak() async throws {
        try await withApp { app in
            // Whatever route sets a header from input, the outermost middleware refuses to send a broken one.
            app.get("echo-header") { req -> Response in
                let response = Response(status: .ok)
                response.headers.add(name: "X-Echo", value: req.query[String.self, at: "v"] ?? "")
                return response
            }
            let fine = try await app.send(.GET, "/echo-header?v=plain")
            #expect(fine.headers.first(name: "X-Echo") == "plain")
            let broken = try await app.send(.GET, "/echo-header?v=a%0D%0AX-Injected:%20yes")
            #expect(broken.status == .internalServerError)
            #expect(!broken.headers.contains(name: "X-Echo"))
            #expect(!broken.headers.contains(name: "X-Injected"))
            #expect(broken.headers.first(name: "X-Frame-Options") == "DENY")
        }
    }

    @Test func formsWithoutAValidCSRFTokenAreRefused() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            var browser = try await BrowserSession.start(app)
            let forged = try await browser.post(
                app, "/sign-in", form: ["email": "rep@test.example", "password": World.password], csrf: "forged")
            #expect(forged.status == .forbidden)
            #expect(forged.body.string.contains("This form has expired"))
            // A token from another browser's cookie does not fit this one.
            let other = try await BrowserSession.start(app)
            let stolen = try await browser.post(
                app, "/sign-in", form: ["email": "rep@test.example", "password": World.password], csrf: other.csrf)
            #expect(stolen.status == .forbidden)
            // Signed in, a state-changing admin form without the token is refused too.
            var admin = try await BrowserSession.start(app, email: "admin@test.example")
            let before = try await Program.query(on: app.db).count()
            let response = try await admin.post(
                app, "/admin/programs", form: ["code": "NOPE", "name": "N", "timeZone": "UTC", "country": "US"],
                csrf: "")
            #expect(response.status == .forbidden)
            #expect(try await Program.query(on: app.db).count() == before)
        }
    }

    @Test func tenFailuresLockTheAccountAndAreAudited() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var browser = try await BrowserSession.start(app)
            for attempt in 1...10 {
                let response = try await browser.post(
                    app, "/sign-in", form: ["email": "rep@test.example", "password": "wrong \(attempt)"])
                #expect(response.status == (attempt < 10 ? .unauthorized : .tooManyRequests))
            }
            // Even the right password is refused while locked.
            let locked = try await browser.post(
                app, "/sign-in", form: ["email": "rep@test.example", "password": World.password])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.string.contains("Too many failed sign-ins"))
            let audit = try await AuditEntry.query(on: app.db).filter(\.$recordID == world.rep.id).all().map(\.action)
            #expect(audit.filter { $0 == "sign-in.failed" }.count == 10)
            #expect(audit.contains("account.locked"))
            #expect(audit.contains("sign-in.refused"))
            // Once the lock expires, the right password works and clears the counters.
            app.manualClock.advance(by: SignInThrottle().lockout + 1)
            let ok = try await browser.post(
                app, "/sign-in", form: ["email": "rep@test.example", "password": World.password])
            #expect(ok.status == .seeOther)
            #expect(try await app.db.sqlDatabase.raw("SELECT * FROM sign_in_failures").all().isEmpty)
        }
    }

    @Test func aSessionEndsAfterItsLifetime() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            var rep = try await BrowserSession.start(app, email: "rep@test.example")
            app.manualClock.advance(by: SessionAuthMiddleware.lifetime - 60)
            #expect(try await rep.get(app, "/desk").status == .ok)
            app.manualClock.advance(by: 61)
            let expired = try await rep.get(app, "/desk")
            #expect(expired.status == .seeOther)
            #expect(expired.headers.first(name: .location)?.hasPrefix("/sign-in") == true)
        }
    }

    @Test func parallelWrongPasswordsCannotPassTheLockout() async throws {
        try await withApp(adjust: { $0.trustedProxies = ["127.0.0.1"] }) { app in
            let world = try await World.make(on: app)
            try await LiveServer.run(app) { server in
                let browser = try await BrowserSession.start(server)
                // Thirty wrong guesses at once, each from a different address (a distributed attack).
                let replies = try await server.concurrently(30) { index in
                    var guesser = browser
                    return try await guesser.post(
                        server, "/sign-in", form: ["email": "rep@test.example", "password": "guess number \(index)"],
                        headers: ["X-Forwarded-For": "10.0.0.\(index + 1)"])
                }
                #expect(replies.allSatisfy { [.unauthorized, .tooManyRequests].contains($0.status) })
                // Exactly ten reached the password check; the rest found the account locked.
                let checked = try await AuditEntry.query(on: app.db).filter(\.$action == "sign-in.failed").count()
                #expect(checked == 10)
                var owner = browser
                let right = try await owner.post(
                    server, "/sign-in", form: ["email": "rep@test.example", "password": World.password],
                    headers: ["X-Forwarded-For": "10.0.1.1"])
                #expect(right.status == .tooManyRequests)
                #expect(right.headers.first(name: .retryAfter).flatMap(Int.init) ?? 0 > 0)
                #expect(try await UserSession.query(on: app.db).filter(\.$user.$id == world.rep.id).count() == 0)
            }
        }
    }

    @Test func junkFromOneAddressIsCutOffAndOthersStillSignIn() async throws {
        try await withApp(adjust: { $0.trustedProxies = ["127.0.0.1"] }) { app in
            _ = try await World.make(on: app)
            try await LiveServer.run(app) { server in
                let browser = try await BrowserSession.start(server)
                let replies = try await server.concurrently(60) { index in
                    var junk = browser
                    return try await junk.post(
                        server, "/sign-in",
                        form: ["email": "nobody\(index)@test.example", "password": "junk \(index)"],
                        headers: ["X-Forwarded-For": "203.0.113.7"])
                }
                let limited = replies.filter { $0.status == .tooManyRequests }
                #expect(limited.count >= 10)
                #expect(limited.allSatisfy { ($0.headers.first(name: .retryAfter).flatMap(Int.init) ?? 0) > 0 })
                let checked = try await AuditEntry.query(on: app.db).filter(\.$action == "sign-in.failed").count()
                #expect(checked <= SignInThrottle().perAddressFailures)
                // Someone at another address is not held up by it.
                var rep = browser
                let ok = try await rep.post(
                    server, "/sign-in", form: ["email": "rep@test.example", "password": World.password],
                    headers: ["X-Forwarded-For": "198.51.100.1"])
                #expect(ok.status == .seeOther)
            }
        }
    }

    @Test func passwordChecksAreCappedPerInstance() async throws {
        var throttle = SignInThrottle()
        throttle.concurrentChecks = 2
        throttle.waitingChecks = 3
        let gate = SignInGate(throttle: throttle, clock: SystemClock())
        let probe = CheckProbe()
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do {
                        try await gate.check { await probe.run() }
                        return true
                    } catch { return false }
                }
            }
            // Let every task arrive, then let the checks finish.
            while await probe.started < 2 { await Task.yield() }
            try? await Task.sleep(for: .milliseconds(200))
            await probe.open()
            var outcomes: [Bool] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.filter { $0 }.count == 5)
        #expect(await probe.highWater == 2)
    }

    @Test func aLockedAccountAnswersLikeAnUnknownOne() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            var browser = try await BrowserSession.start(app)
            var last: [String: HTTPReply] = [:]
            for email in ["rep@test.example", "ghost@test.example"] {
                for attempt in 1...11 {
                    last[email] = try await browser.post(
                        app, "/sign-in", form: ["email": email, "password": "wrong \(attempt)"])
                }
            }
            let known = try #require(last["rep@test.example"])
            let unknown = try #require(last["ghost@test.example"])
            #expect(known.status == .tooManyRequests)
            #expect(known.status == unknown.status)
            func message(_ reply: HTTPReply) -> String? {
                let html = reply.body.string
                guard let start = html.range(of: #"class="error""#) else { return nil }
                return String(html[start.upperBound...].prefix { $0 != "<" })
            }
            #expect(message(known) != nil)
            #expect(message(known) == message(unknown))
        }
    }

    @Test func passwordsLongerThanBcryptReadsAreRefused() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let long = String(repeating: "é", count: 40)  // 40 characters, 80 bytes
            let response = try await app.send(
                .PATCH, "/api/v1/users/\(world.rep.id)", token: world.admin.token, json: #"{"password":"\#(long)"}"#)
            #expect(response.status == .unprocessableEntity)
            #expect(try response.problem().errors?.first?.field == "password")
        }
    }

    @Test func anAdminsPasswordResetEndsSessionsAndRevokesTokens() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var rep = try await BrowserSession.start(app, email: "rep@test.example")
            #expect(try await rep.get(app, "/desk").status == .ok)
            #expect(try await app.send(.GET, "/api/v1/me", token: world.rep.token).status == .ok)
            let reset = try await app.send(
                .PATCH, "/api/v1/users/\(world.rep.id)", token: world.admin.token,
                json: #"{"password":"a brand new password"}"#)
            #expect(reset.status == .ok)
            #expect(try await rep.get(app, "/desk").status == .seeOther)
            #expect(try await app.send(.GET, "/api/v1/me", token: world.rep.token).status == .unauthorized)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$recordID == world.rep.id)
                .filter(\.$action == "user.permissions-changed").all()
            #expect(audit.contains { $0.detail.contains("API tokens revoked") })
            // The new password works.
            _ = try await BrowserSession.start(app, email: "rep@test.example", password: "a brand new password")
        }
    }

    @Test func theCSRFTokenIsBoundToTheSessionAndRotatesAtSignIn() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            var browser = try await BrowserSession.start(app)
            let before = (cookie: browser.cookies["daymaker_csrf"], token: browser.csrf)
            let signIn = try await browser.post(
                app, "/sign-in", form: ["email": "rep@test.example", "password": World.password])
            #expect(signIn.status == .seeOther)
            #expect(browser.cookies["daymaker_csrf"] != nil)
            #expect(browser.cookies["daymaker_csrf"] != before.cookie)
            // The token from before sign-in no longer fits.
            let stale = try await browser.post(app, "/sign-out", form: [:], csrf: before.token)
            #expect(stale.status == .forbidden)
            _ = try await browser.get(app, "/desk")
            #expect(try await browser.post(app, "/sign-out", form: [:]).status == .seeOther)
        }
    }

    @Test func cookiesAreHostPrefixedOverHTTPS() async throws {
        try await withApp(adjust: { $0.publicURL = URL(string: "https://daymaker.example.org")! }) { app in
            _ = try await World.make(on: app)
            var browser = try await BrowserSession.start(app)
            #expect(browser.cookies["__Host-daymaker_csrf"] != nil)
            let response = try await browser.post(
                app, "/sign-in", form: ["email": "rep@test.example", "password": World.password])
            let session = try #require(response.headers[.setCookie].first { $0.hasPrefix("__Host-daymaker_session=") })
            #expect(session.contains("Secure") && session.contains("Path=/") && !session.contains("Domain"))
            #expect(try await browser.get(app, "/desk").status == .ok)
        }
    }

    @Test func deactivatedUsersCannotSignInOrUseTokens() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let response = try await app.send(
                .PATCH, "/api/v1/users/\(world.rep.id)", token: world.admin.token, json: #"{"active":false}"#)
            #expect(response.status == .ok)
            var browser = try await BrowserSession.start(app)
            let signIn = try await browser.post(
                app, "/sign-in", form: ["email": "rep@test.example", "password": World.password])
            #expect(signIn.status == .forbidden)
            #expect(try await app.send(.GET, "/api/v1/me", token: world.rep.token).status == .unauthorized)
        }
    }

    @Test func signInsAndFailuresAreAuditedWithoutPasswords() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var browser = try await BrowserSession.start(app)
            _ = try await browser.post(
                app, "/sign-in", form: ["email": "ghost@test.example", "password": "secret-guess-1"])
            _ = try await browser.post(
                app, "/sign-in", form: ["email": "rep@test.example", "password": World.password])
            let entries = try await AuditEntry.query(on: app.db).all()
            #expect(entries.contains { $0.action == "sign-in" && $0.actorID == world.rep.id })
            #expect(entries.contains { $0.action == "sign-in.failed" && $0.actorID == nil })
            #expect(!entries.contains { $0.detail.contains("secret-guess-1") || $0.detail.contains(World.password) })
        }
    }
}

/// A password check that waits until the test opens it, recording how many ran at once.
actor CheckProbe {
    private(set) var started = 0
    private(set) var highWater = 0
    private var running = 0
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run() async {
        started += 1
        running += 1
        highWater = max(highWater, running)
        if !isOpen { await withCheckedContinuation { waiting.append($0) } }
        running -= 1
    }

    func open() {
        isOpen = true
        for continuation in waiting { continuation.resume() }
        waiting.removeAll()
    }
}
