import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

/// Two instances serving one PostgreSQL database over real HTTP: a contact that arrives at one is offered to a rep
/// whose desk is connected to the other, and arrivals spread over both never give a rep two offers or a contact
/// two reps. (SQLite is one process.) Alone it takes seconds; in a full run its 200 requests through two servers
/// share two cores with every other test, and it took 172 s of a 192 s run here.
@Suite(.timeLimit(.minutes(8))) struct RoutingAcrossInstancesTests {
    @Test(.enabled(if: testingOnPostgres)) func anOfferCrossesInstancesAndNeverDoubles() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            let other = try await Application.make(.testing)
            do {
                other.clock = ManualClock(World.now)
                try await configure(other, config: app.config)
                other.logger.logLevel = .warning
                try await LiveServer.run(app) { first in
                    try await LiveServer.run(other) { second in
                        let browser = try await BrowserSession.start(second, email: desk.world.rep.user.email)
                        let socket = try await DeskLiveTests.Socket.open(
                            second, "/desk/live", cookie: browser.cookieHeader)
                        #expect(try #require(await socket.next()).offers.isEmpty)

                        let at = ISO8601DateFormatter().string(from: app.clock.now)
                        let arrival = ContactEventTests.event("X0", "arrived", contact: "X0", at: at)
                        #expect(try await first.post("/api/v1/events", token: desk.pbx, json: arrival).status == .ok)
                        let offered = try #require(await socket.next { !$0.offers.isEmpty })
                        #expect(offered.offers.first?.why == "You helped last on 16 Sep")
                        try await socket.ws.close()

                        let replies = try await first.concurrently(200) { index in
                            let server = index % 2 == 0 ? first : second
                            return try await server.post(
                                "/api/v1/events", token: desk.pbx,
                                json: ContactEventTests.event(
                                    "x\(index)", "arrived", contact: "X-\(index)", at: at,
                                    from: "+1312555\(String(format: "%04d", 100 + index % 99))"))
                        }
                        #expect(replies.allSatisfy { $0.status == .ok })
                    }
                }
                // A pass that found another running skipped; the ticker's next pass (here: now) offers what it would have.
                try await Router.tick(now: app.clock.now, events: app.events, on: app.db)
                let open = try await Offer.query(on: app.db).filter(\.$status == .open).all()
                #expect(open.count == 2)
                #expect(Set(open.map(\.$rep.id)) == [desk.world.rep.id, desk.sarah.id])
                #expect(Set(open.map(\.$contact.id)).count == 2)
                #expect(
                    try await Contact.query(on: app.db).filter(\.$externalID ~~ (0..<200).map { "X-\($0)" }).count()
                        == 200)
                try await other.asyncShutdown()
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
        }
    }
}
