import Foundation
import Testing
import Vapor

@testable import Daymaker

/// Every response leaves with the security headers, errors included; nothing personal is cached.
@Suite struct SecurityHeadersTests {
    @Test func errorsAndRedirectsCarryTheSecurityHeaders() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let responses = [
                try await app.send(.GET, "/no-such-page"),
                try await app.send(.GET, "/api/v1/no-such-thing", token: world.rep.token),
                try await app.send(.GET, "/api/v1/me"),
                try await app.send(.GET, "/desk"),
                try await app.send(.GET, "/api/v1/customers/\(world.helpCustomer.id!)", token: world.rep.token),
                try await app.send(.GET, "/api/v1/me", token: world.rep.token),
            ]
            #expect(responses.map(\.status.code) == [404, 404, 401, 303, 404, 200])
            for response in responses {
                #expect(
                    response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: .cacheControl) == "no-store")
                #expect(!response.headers.contains(name: "Strict-Transport-Security"))
            }
            // The shipped stylesheet may be cached, checked against its ETag.
            #expect(try await app.send(.GET, "/css/daymaker.css").headers.first(name: .cacheControl) == "no-cache")
        }
    }

    @Test func httpsAddsStrictTransportSecurity() async throws {
        try await withApp(adjust: { $0.publicURL = URL(string: "https://daymaker.example.org")! }) { app in
            for path in ["/sign-in", "/api/v1/me", "/nowhere"] {
                let response = try await app.send(.GET, path)
                #expect(response.headers.first(name: "Strict-Transport-Security") == "max-age=31536000", "\(path)")
            }
        }
    }

    @Test func onlyNoticesTheServerChoseAreShown() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            var browser = try await BrowserSession.start(app, email: "rep@test.example")
            let forged = try await browser.get(app, "/desk?notice=Your+password+expired.+Call+555-0100")
            #expect(!forged.body.string.contains("Call 555-0100"))
            #expect(!forged.body.string.contains(#"class="notice""#))
            let chosen = try await browser.get(app, "/desk?notice=booking-confirmed")
            #expect(chosen.body.string.contains("Booking confirmed."))
        }
    }

    @Test func anUnknownWordNamesTheAcceptedOnes() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let response = try await app.send(
                .POST, "/api/v1/contacts", token: world.rep.token,
                json:
                    #"{"program":"RIDE","channel":"fax","direction":"inbound","from":"+13125550142","to":"+13125550100","arrivedAt":"2026-11-20T10:00:00Z"}"#
            )
            #expect(response.status == .unprocessableEntity)
            let problem = try response.problem()
            #expect(problem.errors?.first?.field == "channel")
            #expect(problem.errors?.first?.detail == "must be one of voice, email, chat, social, sms")
            #expect(
                !problem.detail.contains("Cannot initialize")
                    && !(problem.errors?.first?.detail.contains("Cannot") ?? true))
        }
    }

    @Test func aServerErrorGivesItsRequestId() async throws {
        try await withApp { app in
            struct Boom: Error {}
            app.get("api", "v1", "boom") { _ -> String in throw Boom() }
            let response = try await app.send(.GET, "/api/v1/boom", headers: ["X-Request-Id": "req-4242"])
            #expect(response.status == .internalServerError)
            let problem = try response.problem()
            #expect(problem.requestId == "req-4242")
            #expect(problem.detail.contains("req-4242"))
        }
    }
}
