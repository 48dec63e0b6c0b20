import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct SignInTests {
    @Test func signInSetsAHardenedSessionCookieAndSignOutEndsIt() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            var browser = try await BrowserSession.start(app)
            let response = try await browser.post(app, "/sign-in", form: [
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
        try await withApp { app in
            _ = try await World.make(on: app)
            app.config.publicURL = URL(string: "https://daymaker.example.org")!
            var browser = try await BrowserSession.start(app)
            let response = try await browser.post(app, "/sign-in", form: ["email": "rep@test.example", "password": World.password])
            #expect(response.headers[.setCookie].contains { $0.hasPrefix("daymaker_session=") && $0.contains("Secure") })
        }
    }

    @Test func nextMustStayOnThisSite() {
        #expect(SignInController.safeNext("/customers?q=1") == "/customers?q=1")
        #expect(SignInController.safeNext("//evil.example/") == "/")
        #expect(SignInController.safeNext("https://evil.example/") == "/")
        #expect(SignInController.safeNext("/\\evil.example") == "/")
        #expect(SignInController.safeNext(nil) == "/")
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
                app, "/admin/programs", form: ["code": "NOPE", "name": "N", "timeZone": "UTC", "country": "US"], csrf: "")
            #expect(response.status == .forbidden)
            #expect(try await Program.query(on: app.db).count() == before)
        }
    }

    @Test func tenFailuresLockTheAccountAndAreAudited() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var browser = try await BrowserSession.start(app)
            for attempt in 1...10 {
                let response = try await browser.post(app, "/sign-in", form: ["email": "rep@test.example", "password": "wrong \(attempt)"])
                #expect(response.status == (attempt < 10 ? .unauthorized : .tooManyRequests))
            }
            // Even the right password is refused while locked.
            let locked = try await browser.post(app, "/sign-in", form: ["email": "rep@test.example", "password": World.password])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.string.contains("locked"))
            let audit = try await AuditEntry.query(on: app.db).filter(\.$recordID == world.rep.id).all().map(\.action)
            #expect(audit.filter { $0 == "sign-in.failed" }.count == 10)
            #expect(audit.contains("account.locked"))
            #expect(audit.contains("sign-in.refused"))
            // Once the lock expires, the right password works and clears the counters.
            let user = try #require(try await User.find(world.rep.id, on: app.db))
            user.lockedUntil = Date().addingTimeInterval(-1)
            try await user.save(on: app.db)
            let ok = try await browser.post(app, "/sign-in", form: ["email": "rep@test.example", "password": World.password])
            #expect(ok.status == .seeOther)
            #expect(try await User.find(world.rep.id, on: app.db)?.failedSignIns == 0)
        }
    }

    @Test func deactivatedUsersCannotSignInOrUseTokens() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let response = try await app.send(.PATCH, "/api/v1/users/\(world.rep.id)", token: world.admin.token, json: #"{"active":false}"#)
            #expect(response.status == .ok)
            var browser = try await BrowserSession.start(app)
            let signIn = try await browser.post(app, "/sign-in", form: ["email": "rep@test.example", "password": World.password])
            #expect(signIn.status == .forbidden)
            #expect(try await app.send(.GET, "/api/v1/me", token: world.rep.token).status == .unauthorized)
        }
    }

    @Test func signInsAndFailuresAreAuditedWithoutPasswords() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var browser = try await BrowserSession.start(app)
            _ = try await browser.post(app, "/sign-in", form: ["email": "ghost@test.example", "password": "secret-guess-1"])
            _ = try await browser.post(app, "/sign-in", form: ["email": "rep@test.example", "password": World.password])
            let entries = try await AuditEntry.query(on: app.db).all()
            #expect(entries.contains { $0.action == "sign-in" && $0.actorID == world.rep.id })
            #expect(entries.contains { $0.action == "sign-in.failed" && $0.actorID == nil })
            #expect(!entries.contains { $0.detail.contains("secret-guess-1") || $0.detail.contains(World.password) })
        }
    }
}
