import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// The contact a rep is on shows on their desk; when it ends, its wrap-up (reason, summary, resolution) waits there,
/// and saving it makes the rep available at once.
@Suite struct WrapUpTests {
    static func state(_ app: Application, _ account: World.Account) async throws -> DeskLive.State {
        let principal = try #require(try await Principal.load(userID: account.id, scopes: nil, on: app.db))
        return try await DeskLive.state(for: principal, now: app.clock.now, on: app.db)
    }

    @Test func aFinishedContactWaitsForItsWrapUpAndSavingItFreesTheRep() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            try await RoutingTests.arrive(app, desk, "CH-1", from: "john.miller@example.com", channel: "email")
            let offer = try #require(try await RoutingTests.offers(app, desk.world.rep).first)
            let path = "/api/v1/offers/\(offer.id)/accept"
            #expect(try await app.send(.POST, path, token: desk.world.rep.token).status == .ok)
            let on = try #require(try await Self.state(app, desk.world.rep).current)
            #expect(on.customerName == "John")
            #expect(!on.needsWrapUp)

            app.manualClock.advance(by: 300)
            let ended = ContactEventTests.event(
                "CH-1-end", "ended", contact: "CH-1", at: ISO8601DateFormatter().string(from: app.clock.now))
            #expect(try await app.send(.POST, "/api/v1/events", token: desk.pbx, json: ended).status == .ok)
            let over = try #require(try await Self.state(app, desk.world.rep).current)
            #expect(over.id == on.id)
            #expect(over.needsWrapUp)
            #expect(try await RoutingTests.presence(app, desk.world.rep.id) == .wrapUp)

            var browser = try await BrowserSession.start(app, email: desk.world.rep.user.email)
            let wrapUp = "/desk/contacts/\(on.id)/wrap-up"
            // How it ended is required; nothing is saved without it.
            let missing = try await browser.post(app, wrapUp, form: ["summary": "Rebooked Friday's ride"])
            #expect(missing.status == .unprocessableEntity)
            #expect(String(buffer: missing.body).contains("choose how it ended"))
            #expect(try await Contact.find(on.id, on: app.db)?.summary == nil)
            // Only the rep who had it wraps it up.
            var sarah = try await BrowserSession.start(app, email: desk.sarah.user.email)
            #expect(try await sarah.post(app, wrapUp, form: ["resolution": "resolved"]).status == .notFound)

            let saved = try await browser.post(
                app, wrapUp,
                form: ["reason": "Ride on Friday", "summary": "Rebooked Friday's ride", "resolution": "resolved"])
            #expect(saved.status == .seeOther)
            let contact = try #require(try await Contact.find(on.id, on: app.db))
            #expect(contact.reason == "Ride on Friday")
            #expect(contact.summary == "Rebooked Friday's ride")
            #expect(contact.resolution == .resolved)
            #expect(try await RoutingTests.presence(app, desk.world.rep.id) == .available)
            #expect(try await Self.state(app, desk.world.rep).current == nil)
        }
    }
}
