import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// A contact that was hard on the rep: flagged in wrap-up, the rep gets a break before the next offer (and is back
/// when it ends), their supervisor sees it live, and the rep can share it as a hard contact in one action.
@Suite struct WellbeingTests {
    /// The rep's email contact, answered and ended: waiting for its wrap-up.
    static func ended(_ app: Application, _ desk: RoutingTests.Desk, _ id: String) async throws -> UUID {
        try await RoutingTests.arrive(app, desk, id, from: "john.miller@example.com", channel: "email")
        let offer = try #require(try await RoutingTests.offers(app, desk.world.rep).first)
        #expect(
            try await app.send(.POST, "/api/v1/offers/\(offer.id)/accept", token: desk.world.rep.token).status == .ok)
        let on = try #require(try await WrapUpTests.state(app, desk.world.rep).current)
        app.manualClock.advance(by: 300)
        let ended = ContactEventTests.event(
            "\(id)-end", "ended", contact: id, at: ISO8601DateFormatter().string(from: app.clock.now))
        #expect(try await app.send(.POST, "/api/v1/events", token: desk.pbx, json: ended).status == .ok)
        return on.id
    }

    @Test func aHardContactGivesTheRepABreakTellsTheSupervisorAndCanBeSharedInOneAction() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            let world = desk.world
            let challenge = try await ChallengeTests.start(app, world, from: "2026-11-18T00:00:00Z")
            let id = try await Self.ended(app, desk, "HARD-1")
            var rep = try await BrowserSession.start(app, email: world.rep.user.email)
            let bad = try await rep.post(
                app, "/desk/contacts/\(id)/wrap-up", form: ["resolution": "resolved", "wellbeing": "awful"])
            #expect(bad.status == .unprocessableEntity)
            let saved = try await rep.post(
                app, "/desk/contacts/\(id)/wrap-up",
                form: [
                    "summary": "He shouted about the late van for ten minutes.", "resolution": "unresolved",
                    "wellbeing": "abusive",
                ])
            #expect(saved.status == .seeOther)
            let contact = try #require(try await Contact.find(id, on: app.db))
            #expect(contact.wellbeing == .abusive && contact.wellbeingByID == world.rep.id)

            // A break: no offer reaches the rep until it ends, then they are available again.
            #expect(try await RoutingTests.presence(app, world.rep.id) == .wrapUp)
            let record = try #require(
                try await PresenceRecord.query(on: app.db).filter(\.$user.$id == world.rep.id).first())
            #expect(record.until == app.clock.now.addingTimeInterval(300))
            app.manualClock.advance(by: 301)
            try await Router.tick(now: app.clock.now, events: app.events, on: app.db)
            #expect(try await RoutingTests.presence(app, world.rep.id) == .available)

            // The supervisor's board shows it.
            let board = try await QueueBoard.load(world.ride, now: app.clock.now, on: app.db)
            #expect(board.hardContacts.map(\.contactId) == [id] && board.hardContacts.first?.flag == .abusive)

            // Shared as a hard contact in one action: seen by the rep and supervisors only.
            let page = try await rep.get(app, "/desk").body.string
            #expect(page.contains("/desk/contacts/\(id.lowercaseText)/hard-story"))
            let shared = try await rep.post(app, "/desk/contacts/\(id.lowercaseText)/hard-story", form: [:])
            #expect(shared.status == .seeOther)
            let story = try #require(try await ChallengeStory.query(on: app.db).filter(\.$contactID == id).first())
            #expect(story.kind == .hardContact && story.repID == world.rep.id && story.challengeID == challenge.id)
            #expect(story.text == "He shouted about the late van for ten minutes.")
            #expect(!(try await rep.get(app, "/desk").body.string.contains("/hard-story")))
            #expect(
                try await rep.post(app, "/desk/contacts/\(id.lowercaseText)/hard-story", form: [:]).status == .conflict)
            #expect(try await ChallengeStory.query(on: app.db).filter(\.$contactID == id).count() == 1)
        }
    }

    /// Supervisors flag a contact through the API too; another rep may not; another program's is not found. With
    /// no break set, the rep is available as soon as the wrap-up is saved.
    @Test func supervisorsFlagContactsAndABreakOfZeroSkipsIt() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            let world = desk.world
            let path = "/api/v1/contacts/\(world.rideContact.id!.lowercaseText)/wellbeing"
            let flagged = try await app.send(.POST, path, token: world.supervisor.token, json: #"{"flag":"heated"}"#)
            #expect(flagged.status == .ok)
            #expect(try flagged.json(ContactDTO.self).wellbeing == .heated)
            #expect(
                try await app.send(.POST, path, token: world.helpRep.token, json: #"{"flag":"heated"}"#).status
                    == .notFound)
            #expect(
                try await app.send(.POST, path, token: world.rep.token, json: #"{"flag":"rude"}"#).status
                    == .unprocessableEntity)

            let settings = try await app.send(
                .PUT, "/api/v1/programs/\(world.ride.id!.lowercaseText)/routing-settings",
                token: world.supervisor.token, json: #"{"hardContactBreakSeconds":0}"#)
            #expect(settings.status == .ok)
            let id = try await Self.ended(app, desk, "HARD-2")
            var rep = try await BrowserSession.start(app, email: world.rep.user.email)
            let saved = try await rep.post(
                app, "/desk/contacts/\(id)/wrap-up", form: ["resolution": "resolved", "wellbeing": "heated"])
            #expect(saved.status == .seeOther)
            #expect(try await RoutingTests.presence(app, world.rep.id) == .available)
        }
    }
}
