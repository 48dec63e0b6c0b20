import DaymakerCore
import Fluent
import Foundation
import NIOCore
import NIOPosix
import Testing
import Vapor
import VaporTesting
import WebSocketKit

@testable import Daymaker

/// The live desk over a real WebSocket: the whole desk on connecting, again whenever the rep's presence or offers
/// change, and again after reconnecting.
@Suite(.timeLimit(.minutes(5))) struct DeskLiveTests {
    /// A desk's WebSocket and the states it received, in order.
    typealias Socket = LivePage<DeskLive.State>

    @Test func anOfferAppearsOnTheRepsDeskAtOnceAndAgainAfterReconnecting() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            try await LiveServer.run(app) { server in
                let browser = try await BrowserSession.start(server, email: desk.world.rep.user.email)
                let socket = try await Socket.open(server, "/desk/live", cookie: browser.cookieHeader)
                let first = try #require(await socket.next())
                #expect(first.presence.state == .available)
                #expect(first.offers.isEmpty)

                let arrival = ContactEventTests.event(
                    "L1", "arrived", contact: "L1", at: ISO8601DateFormatter().string(from: app.clock.now))
                #expect(try await server.post("/api/v1/events", token: desk.pbx, json: arrival).status == .ok)
                let offered = try #require(await socket.next { !$0.offers.isEmpty })
                let offer = try #require(offered.offers.first)
                #expect(offer.customerName == "John")
                #expect(offer.why == "You helped last on 16 Sep")
                #expect(offer.card == "/desk/customers/\(desk.world.rideCustomer.id!.lowercaseText)")
                #expect(offer.from == "+13125550142")

                // A dropped connection: the desk reconnects and gets the same offer, once.
                try await socket.ws.close()
                let again = try await Socket.open(server, "/desk/live", cookie: browser.cookieHeader)
                let resynced = try #require(await again.next())
                #expect(resynced.offers.map(\.offer.id) == [offer.offer.id])

                // Accepting it elsewhere (the API): the desk shows the rep busy and the offer gone.
                let accepted = try await server.exchange(
                    .POST, "/api/v1/offers/\(offer.offer.id)/accept",
                    headers: ["Authorization": "Bearer \(desk.world.rep.token)"], body: nil)
                #expect(accepted.status == .ok)
                let busy = try #require(await again.next { $0.presence.state == .busy })
                #expect(busy.offers.isEmpty)
                // The call ends (the PBX says so): the desk shows the wrap-up at once.
                let ended = ContactEventTests.event(
                    "L1-end", "ended", contact: "L1", at: ISO8601DateFormatter().string(from: app.clock.now))
                #expect(try await server.post("/api/v1/events", token: desk.pbx, json: ended).status == .ok)
                let wrapUp = try #require(await again.next { $0.presence.state == .wrapUp })
                #expect(wrapUp.presence.until == app.clock.now.addingTimeInterval(RoutingSettings.defaults.wrapUp))
                try await again.ws.close()
            }
        }
    }

    @Test func aPageOfAnotherSiteCannotOpenTheDesk() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            try await LiveServer.run(app) { server in
                let browser = try await BrowserSession.start(server, email: world.rep.user.email)
                await #expect(throws: (any Error).self) {
                    _ = try await Socket.open(
                        server, "/desk/live", cookie: browser.cookieHeader, origin: "https://evil.example")
                }
                await #expect(throws: (any Error).self) {
                    _ = try await Socket.open(server, "/desk/live", cookie: "")
                }
            }
        }
    }
}
