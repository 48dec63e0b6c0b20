import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// A warm transfer: the rep who has the contact hands it to the rep the customer asked for, with a note; it stays
/// theirs until that rep takes it, then it is recorded as transferred and the first rep goes to wrap-up.
@Suite struct TransferTests {
    @Test func johnIsHandedToSarahWithANoteAndTheTimelineSaysSo() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            // Sarah is busy elsewhere when John's email comes in asking for her: his last rep takes it.
            try await RoutingTests.arrive(
                app, desk, "CH-1", from: "john.miller@example.com", channel: "email", extra: #""requestedRep":"Sarah""#)
            let first = try #require(try await RoutingTests.offers(app, desk.sarah).first)
            #expect(
                try await app.send(.POST, "/api/v1/offers/\(first.id)/decline", token: desk.sarah.token).status == .ok)
            let offer = try #require(try await RoutingTests.offers(app, desk.world.rep).first)
            #expect(
                try await app.send(.POST, "/api/v1/offers/\(offer.id)/accept", token: desk.world.rep.token).status
                    == .ok)
            let contact = try #require(try await WrapUpTests.state(app, desk.world.rep).current)
            #expect(contact.askedFor?.name == "Sarah")

            var rep = try await BrowserSession.start(app, email: desk.world.rep.user.email)
            let path = "/desk/contacts/\(contact.id)/transfer"
            let note = "John wants to thank you himself; he is grieving, go gently."
            // Not to oneself, and only by the rep who has it.
            let own = try await rep.post(app, path, form: ["repId": desk.world.rep.id.lowercaseText])
            #expect(own.status == .unprocessableEntity)
            var sarah = try await BrowserSession.start(app, email: desk.sarah.user.email)
            let stolen = try await sarah.post(app, path, form: ["repId": desk.sarah.id.lowercaseText])
            #expect(stolen.status == .notFound)

            #expect(
                try await rep.post(app, path, form: ["repId": desk.sarah.id.lowercaseText, "note": note]).status
                    == .seeOther)
            let handed = try #require(try await WrapUpTests.state(app, desk.sarah).offers.first)
            #expect(handed.offer.reason == .transfer)
            #expect(handed.offer.note == note)
            #expect(handed.why == "Rep is handing this contact to you")
            // Until Sarah takes it, John is still with his rep.
            #expect(try await Contact.find(contact.id, on: app.db)?.$rep.id == desk.world.rep.id)

            app.manualClock.advance(by: 5)
            let taken = try await app.send(.POST, "/api/v1/offers/\(handed.offer.id)/accept", token: desk.sarah.token)
            #expect(taken.status == .ok)
            let now = try #require(try await Contact.find(contact.id, on: app.db))
            #expect(now.$rep.id == desk.sarah.id)
            #expect(now.status == .connected)
            let types = try await ContactEventRecord.query(on: app.db).filter(\.$contact.$id == contact.id)
                .sort(\.$at).all().map(\.type)
            #expect(types == [.arrived, .answered, .transferred])
            #expect(try await RoutingTests.presence(app, desk.sarah.id) == .busy)
            #expect(try await RoutingTests.presence(app, desk.world.rep.id) == .wrapUp)
        }
    }

    /// John's email is offered to his last rep, who takes it.
    static func johnWithHisRep(_ app: Application) async throws -> (RoutingTests.Desk, OfferDTO) {
        let desk = try await RoutingTests.desk(app)
        try await RoutingTests.arrive(app, desk, "CH-1", from: "john.miller@example.com", channel: "email")
        let offer = try #require(try await RoutingTests.offers(app, desk.world.rep).first)
        #expect(
            try await app.send(.POST, "/api/v1/offers/\(offer.id)/accept", token: desk.world.rep.token).status == .ok)
        return (desk, offer)
    }

    @Test func aRepWhoIsAwayCannotBeHandedAContact() async throws {
        try await withApp { app in
            let (desk, offer) = try await Self.johnWithHisRep(app)
            #expect(try await PresenceTests.put(app, desk.sarah.id, "away", as: desk.sarah.token).status == .ok)
            var rep = try await BrowserSession.start(app, email: desk.world.rep.user.email)
            let refused = try await rep.post(
                app, "/desk/contacts/\(offer.contactId)/transfer", form: ["repId": desk.sarah.id.lowercaseText])
            #expect(refused.status == .conflict)
            #expect(try await Offer.query(on: app.db).filter(\.$reason == .transfer).count() == 0)
        }
    }

    /// Sarah is on another call when John is handed to her and lets the offer run out: she is still busy (not
    /// sent away, as a rep who ignores an offer at an empty desk would be), and John stays with his rep.
    @Test func aTransferABusyRepLetsRunOutLeavesHerBusyAndTheContactWithItsRep() async throws {
        try await withApp { app in
            let (desk, offer) = try await Self.johnWithHisRep(app)
            _ = try await RepPresence.set(
                .busy, userID: desk.sarah.id, by: nil, until: nil, now: app.clock.now, on: app.db)
            var rep = try await BrowserSession.start(app, email: desk.world.rep.user.email)
            let handed = try await rep.post(
                app, "/desk/contacts/\(offer.contactId)/transfer", form: ["repId": desk.sarah.id.lowercaseText])
            #expect(handed.status == .seeOther)

            app.manualClock.advance(by: RoutingSettings.defaults.offerTimeout + 1)
            try await Router.tick(now: app.clock.now, events: app.events, on: app.db)
            let transfer = try #require(try await Offer.query(on: app.db).filter(\.$reason == .transfer).first())
            #expect(transfer.status == .expired)
            #expect(try await RoutingTests.presence(app, desk.sarah.id) == .busy)
            #expect(try await Contact.find(offer.contactId, on: app.db)?.$rep.id == desk.world.rep.id)
        }
    }
}
