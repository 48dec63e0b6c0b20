import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// "Leave Sarah a message": whoever has a customer who asked for another rep leaves that rep a message, which is on
/// their desk at once until they mark it read.
@Suite struct RepMessageTests {
    @Test func whoeverAnswersLeavesTheAskedForRepAMessageOnHerDesk() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            #expect(try await PresenceTests.put(app, desk.sarah.id, "offline", as: desk.sarah.token).status == .ok)
            try await RoutingTests.arrive(
                app, desk, "CH-1", from: "john.miller@example.com", channel: "email", extra: #""requestedRep":"Sarah""#)
            let offer = try #require(try await RoutingTests.offers(app, desk.world.rep).first)
            #expect(
                try await app.send(.POST, "/api/v1/offers/\(offer.id)/accept", token: desk.world.rep.token).status
                    == .ok)
            let current = try #require(try await WrapUpTests.state(app, desk.world.rep).current)
            let asked = try #require(current.askedFor)
            #expect(asked.name == "Sarah")
            #expect(asked.repId == desk.sarah.id)

            var rep = try await BrowserSession.start(app, email: desk.world.rep.user.email)
            let form = ["contactId": current.id.lowercaseText, "repId": desk.sarah.id.lowercaseText]
            #expect(try await rep.post(app, "/desk/messages", form: form).status == .unprocessableEntity, "no text")
            var toStranger = form
            toStranger["repId"] = desk.world.helpRep.id.lowercaseText
            toStranger["text"] = "Hello"
            #expect(try await rep.post(app, "/desk/messages", form: toStranger).status == .unprocessableEntity)
            var message = form
            message["text"] = "John called for you; he wanted to thank you for last week."
            #expect(try await rep.post(app, "/desk/messages", form: message).status == .seeOther)

            let inbox = try await WrapUpTests.state(app, desk.sarah).messages
            #expect(inbox.map(\.text) == ["John called for you; he wanted to thank you for last week."])
            #expect(inbox.first?.from == "Rep")
            #expect(inbox.first?.customerName == "John")
            let id = try #require(inbox.first?.id)
            // Only Sarah marks it read.
            #expect(try await rep.post(app, "/desk/messages/\(id)/read", form: [:]).status == .notFound)
            var sarah = try await BrowserSession.start(app, email: desk.sarah.user.email)
            #expect(try await sarah.post(app, "/desk/messages/\(id)/read", form: [:]).status == .seeOther)
            #expect(try await WrapUpTests.state(app, desk.sarah).messages.isEmpty)
            #expect(try await RepMessage.find(id, on: app.db)?.readAt == app.clock.now)
        }
    }
}
