import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// Booking a callback from the rep a customer asked for, due in that rep's next shift.
@Suite struct CallbackTests {
    @Test func aCallbackFromSarahIsDueInHerNextShift() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            // Sarah works Thursdays 09:00–17:00 in Chicago; it is Wednesday 09:30 there.
            let shifts = #"{"program":"RIDE","shifts":[{"weekday":4,"start":"09:00","end":"17:00"}]}"#
            let saved = try await app.send(
                .PUT, "/api/v1/users/\(desk.sarah.id)/shifts", token: desk.world.supervisor.token, json: shifts)
            #expect(saved.status == .ok)
            try await RoutingTests.arrive(app, desk, "CA-1", extra: #""requestedRep":"Sarah""#)
            let contact = try #require(try await ContactEventTests.contact("CA-1", on: app.db))

            let booked = try await app.send(
                .POST, "/api/v1/callbacks", token: desk.world.rep.token,
                json:
                    #"{"program":"RIDE","contactId":"\#(contact.id!)","repId":"\#(desk.sarah.id)","reason":"Wants Sarah about his late wife's account"}"#
            )
            #expect(booked.status == .created)
            let callback = try booked.json(CallbackDTO.self)
            #expect(callback.number == "+13125550142")
            #expect(callback.customerId == desk.world.rideCustomer.id)
            #expect(callback.repId == desk.sarah.id)
            #expect(callback.dueStart == ISO8601DateFormatter().date(from: "2026-11-19T15:00:00Z"))
            #expect(callback.dueEnd == ISO8601DateFormatter().date(from: "2026-11-19T23:00:00Z"))
            #expect(callback.status == .open)
            #expect(callback.source == .api)
            let listed = try await app.send(.GET, "/api/v1/callbacks?program=RIDE", token: desk.sarah.token)
                .json(ItemPage<CallbackDTO>.self)
            #expect(listed.items.map(\.id) == [callback.id])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "callback.booked").count() == 1)
            // Another program's member does not see it.
            let hidden = try await app.send(.GET, "/api/v1/callbacks/\(callback.id)", token: desk.world.helpRep.token)
            #expect(hidden.status == .notFound)
        }
    }

    @Test func aCallbackNeedsANumberToCall() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            try await RoutingTests.arrive(app, desk, "CA-U", from: "555 01")
            let uncallable = try #require(try await ContactEventTests.contact("CA-U", on: app.db))
            let path = "/api/v1/callbacks"
            let noNumber = try await app.send(
                .POST, path, token: desk.world.rep.token, json: #"{"program":"RIDE","contactId":"\#(uncallable.id!)"}"#)
            #expect(try noNumber.problem().errors?.map(\.field) == ["number"])
            let badNumber = try await app.send(
                .POST, path, token: desk.world.rep.token, json: #"{"program":"RIDE","number":"12"}"#)
            #expect(try badNumber.problem().errors?.map(\.field) == ["number"])
            let notMember = try await app.send(
                .POST, path, token: desk.world.rep.token,
                json: #"{"program":"RIDE","number":"(312) 555-0142","repId":"\#(desk.world.helpRep.id)"}"#)
            #expect(try notMember.problem().errors?.map(\.field) == ["repId"])
            let otherContact = try await app.send(
                .POST, path, token: desk.world.rep.token,
                json: #"{"program":"RIDE","contactId":"\#(desk.world.helpContact.id!)"}"#)
            #expect(try otherContact.problem().errors?.map(\.field) == ["contactId"])
            // Without a rep or shifts: due within the next day.
            let anyone = try await app.send(
                .POST, path, token: desk.world.rep.token,
                json: #"{"program":"RIDE","contactId":"\#(uncallable.id!)","number":"312 555 0199"}"#)
            let callback = try anyone.json(CallbackDTO.self)
            #expect(callback.number == "+13125550199")
            #expect(callback.dueStart == app.clock.now)
            #expect(callback.dueEnd == app.clock.now.addingTimeInterval(86_400))
            #expect(try await Callback.query(on: app.db).count() == 1)
        }
    }

    /// Tries are counted, even from several reps at once; reaching the customer closes the callback.
    @Test func triesAreCountedAndReachingTheCustomerClosesIt() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            let booked = try await app.send(
                .POST, "/api/v1/callbacks", token: desk.world.rep.token,
                json: #"{"program":"RIDE","number":"(312) 555-0142","repId":"\#(desk.sarah.id)"}"#)
            let id = try booked.json(CallbackDTO.self).id
            try await LiveServer.run(app) { server in
                let tries = try await server.concurrently(10) { index in
                    try await server.post(
                        "/api/v1/callbacks/\(id)/attempt",
                        token: index % 2 == 0 ? desk.sarah.token : desk.world.rep.token,
                        json: #"{"reached":false}"#)
                }
                #expect(tries.allSatisfy { $0.status == .ok })
            }
            let reached = try await app.send(
                .POST, "/api/v1/callbacks/\(id)/attempt", token: desk.sarah.token, json: #"{"reached":true}"#)
            let done = try reached.json(CallbackDTO.self)
            #expect(done.attempts == 11)
            #expect(done.status == .done)
            let again = try await app.send(.POST, "/api/v1/callbacks/\(id)/cancel", token: desk.sarah.token)
            #expect(again.status == .conflict)
            let hidden = try await app.send(.POST, "/api/v1/callbacks/\(id)/cancel", token: desk.world.helpRep.token)
            #expect(hidden.status == .notFound)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "callback.attempted").count() == 11)
            let open = try await app.send(.GET, "/api/v1/callbacks?program=RIDE", token: desk.sarah.token)
            #expect(try open.json(ItemPage<CallbackDTO>.self).items.isEmpty)
        }
    }
}
