import DaymakerCore
import Fluent
import Foundation
import NIOPosix
import Testing
import Vapor
import VaporTesting
import WebSocketKit

@testable import Daymaker

/// The supervisor's live queues: waiting and the longest wait, today's service level and abandoned calls, and every
/// rep's presence, time in it and current contact; pushed over a WebSocket as they change.
@Suite(.timeLimit(.minutes(5))) struct SupervisionTests {
    static func event(
        _ app: Application, _ desk: RoutingTests.Desk, _ id: String, _ type: String, extra: String = ""
    )
        async throws
    {
        let json = ContactEventTests.event(
            "\(id)-\(type)", type, contact: id, at: ISO8601DateFormatter().string(from: app.clock.now),
            from: id == "CA-1" ? "(312) 555-0142" : "+1312555\(id.suffix(1))000", extra: extra)
        #expect(try await app.send(.POST, "/api/v1/events", token: desk.pbx, json: json).status == .ok)
    }

    @Test func theBoardShowsTheQueueTodayAndEachRep() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            let start = app.clock.now
            try await Self.event(app, desk, "CA-1", "arrived")  // John, answered by his rep within 20 s
            app.manualClock.advance(by: 20)
            try await Self.event(app, desk, "CA-1", "answered", extra: #""repId":"\#(desk.world.rep.id)""#)
            try await Self.event(app, desk, "CA-2", "arrived")  // a stranger who gives up after 100 s
            app.manualClock.advance(by: 100)
            try await Self.event(app, desk, "CA-2", "abandoned")
            try await Self.event(app, desk, "CA-3", "arrived")  // waiting now
            app.manualClock.advance(by: 90)
            try await Self.event(app, desk, "CA-4", "arrived")  // and another, arrived later
            #expect(try await PresenceTests.put(app, desk.sarah.id, "away", as: desk.sarah.token).status == .ok)

            let path = "/api/v1/programs/\(desk.world.ride.id!)/board"
            let response = try await app.send(.GET, path, token: desk.world.supervisor.token)
            #expect(response.status == .ok)
            let board = try response.json(QueueBoard.self)
            #expect(board.waiting == 2)
            #expect(board.longestWaitingSince == start.addingTimeInterval(120))
            #expect(board.today.answered == 1)
            #expect(board.today.answeredWithinTarget == 1)
            #expect(board.today.abandoned == 1)
            #expect(board.today.serviceLevel == 50)
            #expect(board.reps.map(\.displayName) == ["Rep", "Sarah"])
            let rep = board.reps[0]
            #expect(rep.presence == .busy)
            #expect(rep.since == start.addingTimeInterval(20))
            #expect(rep.contact?.customerName == "John")
            #expect(rep.contact?.answeredAt == start.addingTimeInterval(20))
            #expect(board.reps[1].presence == .away)
            #expect(board.reps[1].since == app.clock.now)
            #expect(board.reps[1].contact == nil)

            // Reps do not see it; another program's board is not found.
            #expect(try await app.send(.GET, path, token: desk.world.rep.token).status == .forbidden)
            let help = "/api/v1/programs/\(desk.world.help.id!)/board"
            #expect(try await app.send(.GET, help, token: desk.world.supervisor.token).status == .notFound)
        }
    }

    @Test func theBoardIsPushedOnConnectAndWhenACallArrives() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            try await LiveServer.run(app) { server in
                let browser = try await BrowserSession.start(server, email: desk.world.supervisor.user.email)
                let page = try await LivePage<SupervisorPages.Boards>.open(
                    server, "/supervisor/live", cookie: browser.cookieHeader)
                let first = try #require(await page.next())
                #expect(first.boards.map(\.program) == ["RIDE"])
                #expect(first.boards[0].waiting == 0)

                let arrival = ContactEventTests.event(
                    "S1", "arrived", contact: "S1", at: ISO8601DateFormatter().string(from: app.clock.now))
                #expect(try await server.post("/api/v1/events", token: desk.pbx, json: arrival).status == .ok)
                var waiting = 0
                while waiting == 0, let next = await page.next() { waiting = next.boards[0].waiting }
                #expect(waiting == 1)
                try await page.ws.close()
            }
        }
    }
}
