import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// Routing at work through the API: arrivals offered to the rep the customer asked for or who helped them last,
/// offers accepted, declined and timed out, wrap-up, and never two offers for one rep or one contact.
@Suite struct RoutingTests {
    /// The RIDE rep helped John on his last call; Sarah is another RIDE rep. Both available, a telephony token.
    struct Desk {
        let world: World
        let sarah: World.Account
        let pbx: String
    }

    static func desk(_ app: Application) async throws -> Desk {
        let world = try await World.make(on: app)
        world.rideContact.$rep.id = world.rep.id
        try await world.rideContact.save(on: app.db)
        let user = try await UserAccounts.create(
            email: "sarah@test.example", fullName: "Sarah Okafor", displayName: "Sarah", role: .rep,
            password: World.password, programCodes: ["RIDE"], actor: nil, app: app, db: app.db)
        let (_, token) = try await APITokens.create(
            for: user, name: "desk", scopeNames: ["read", "write"], actor: nil, now: app.clock.now, on: app.db)
        let sarah = World.Account(user: user, token: token)
        for account in [world.rep, sarah] {
            #expect(try await PresenceTests.put(app, account.id, "available", as: account.token).status == .ok)
        }
        return Desk(world: world, sarah: sarah, pbx: try await ContactEventTests.pbxToken(world, on: app))
    }

    static func arrive(
        _ app: Application, _ desk: Desk, _ id: String, from: String = "(312) 555-0142", channel: String = "voice",
        extra: String = ""
    ) async throws {
        var json = ContactEventTests.event(
            id, "arrived", contact: id, at: ISO8601DateFormatter().string(from: app.clock.now), from: from,
            extra: extra)
        if channel != "voice" {
            json = json.replacingOccurrences(of: #""voice""#, with: #""\#(channel)""#)
                .replacingOccurrences(of: "312-555-0100", with: "help@ride.example")
        }
        #expect(try await app.send(.POST, "/api/v1/events", token: desk.pbx, json: json).status == .ok)
    }

    static func offers(_ app: Application, _ account: World.Account) async throws -> [OfferDTO] {
        try await app.send(.GET, "/api/v1/offers", token: account.token).json(ItemPage<OfferDTO>.self).items
    }

    static func presence(_ app: Application, _ user: UUID) async throws -> Presence? {
        try await PresenceRecord.query(on: app.db).filter(\.$user.$id == user).first()?.state
    }

    @Test func aRegularIsOfferedToTheRepWhoHelpedHimLast() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            try await Self.arrive(app, desk, "CA-1")
            let offer = try #require(try await Self.offers(app, desk.world.rep).first)
            #expect(offer.reason == .helpedLast)
            #expect(offer.helpedAt == desk.world.rideContact.arrivedAt)
            #expect(offer.expiresAt == app.clock.now.addingTimeInterval(RoutingSettings.defaults.offerTimeout))
            #expect(try await Self.offers(app, desk.sarah).isEmpty)
            // The decision's time is kept for the ticker's summary, once.
            let timings = try #require(app.events.routingTimings.summary())
            #expect(timings.count == 1 && timings.p99 > .zero && timings.p99 < .seconds(5))
            // On PostgreSQL the pass reads before the contact is written: its time counts from there.
            #expect(
                try app.db.sqlDatabase.isPostgreSQL
                    ? timings.passP99 > timings.p99 : timings.passP99 == timings.p99)
            #expect(app.events.routingTimings.summary() == nil)
        }
    }

    @Test func routingTimingsSummariseTheDecisionsSinceTheLastSummary() {
        let timings = RoutingTimings()
        #expect(timings.summary() == nil)
        for ms in 1...100 { timings.record(.milliseconds(ms), pass: .milliseconds(ms + 100), offers: 1) }
        timings.record(.milliseconds(500), offers: 0)
        let summary = timings.summary()
        #expect(summary?.count == 100 && summary?.p50 == .milliseconds(50) && summary?.p99 == .milliseconds(99))
        #expect(summary?.passP50 == .milliseconds(150) && summary?.passP99 == .milliseconds(199))
        // A pass that read nothing before its contacts waited counts the same time twice.
        timings.record(.milliseconds(7), offers: 2)
        #expect(
            timings.summary()
                == .init(
                    count: 2, p50: .milliseconds(7), p99: .milliseconds(7), passP50: .milliseconds(7),
                    passP99: .milliseconds(7)))
        #expect(
            RoutingTicker.describe(
                .init(
                    count: 3, p50: .microseconds(1210), p99: .microseconds(4800), passP50: .microseconds(2020),
                    passP99: .microseconds(6100)))
                == "Routing: 3 offers in 10 s, decided in 1.21 ms (median) / 4.80 ms (p99), from the pass's first read in 2.02 ms / 6.10 ms"
        )
    }

    @Test func aCustomerWhoAsksForSarahGetsSarah() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            try await Self.arrive(app, desk, "CA-1", extra: #""requestedRep":"sárah""#)
            #expect(try await Self.offers(app, desk.sarah).map(\.reason) == [.askedFor])
            // A name nobody has falls through to the usual order, with a note for whoever answers.
            try await Self.arrive(app, desk, "CA-2", from: "+13125550199", extra: #""requestedRep":"Sarh""#)
            let offered = try await Self.offers(app, desk.world.rep)
            #expect(offered.map(\.reason) == [.available])
            // Only an offer to the rep who helped last says when they did.
            #expect(offered.map(\.helpedAt) == [nil])
            let contact = try #require(try await ContactEventTests.contact("CA-2", on: app.db))
            #expect(contact.routingNote == "Asked for Sarh: no rep by that name.")
        }
    }

    @Test func aCustomerWhoAsksForSarahWhileSheIsBusyWaitsForHer() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            _ = try await RepPresence.set(
                .busy, userID: desk.sarah.id, by: nil, until: nil, now: app.clock.now, on: app.db)
            // A caller nobody has helped: Sarah is the only rep they name.
            try await Self.arrive(app, desk, "CA-1", from: "+13125550199", extra: #""requestedRep":"Sarah""#)
            // Sarah is coming back: the other rep, free, is not offered the call meanwhile.
            #expect(try await Self.offers(app, desk.world.rep).isEmpty)
            #expect(try await Self.offers(app, desk.sarah).isEmpty)
            #expect(try await PresenceTests.put(app, desk.sarah.id, "available", as: desk.sarah.token).status == .ok)
            #expect(try await Self.offers(app, desk.sarah).map(\.reason) == [.askedFor])
        }
    }

    @Test func aRegularWhosePreferredRepIsBusyWaitsForHer() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            // John prefers Sarah (and nobody has helped him yet); Sarah is on another call.
            desk.world.rideContact.$rep.id = nil
            try await desk.world.rideContact.save(on: app.db)
            desk.world.rideCustomer.$preferredRep.id = desk.sarah.id
            try await desk.world.rideCustomer.save(on: app.db)
            _ = try await RepPresence.set(
                .busy, userID: desk.sarah.id, by: nil, until: nil, now: app.clock.now, on: app.db)
            try await Self.arrive(app, desk, "CA-1")
            #expect(try await Self.offers(app, desk.world.rep).isEmpty)
            #expect(try await PresenceTests.put(app, desk.sarah.id, "available", as: desk.sarah.token).status == .ok)
            #expect(try await Self.offers(app, desk.sarah).map(\.reason) == [.preferred])
        }
    }

    @Test func acceptingAChatAnswersItAndTheRepIsBusyThenInWrapUp() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            try await Self.arrive(app, desk, "CH-1", from: "john.miller@example.com", channel: "email")
            let offer = try #require(try await Self.offers(app, desk.world.rep).first)
            // Only the rep it was offered to may take it.
            let path = "/api/v1/offers/\(offer.id)/accept"
            #expect(try await app.send(.POST, path, token: desk.sarah.token).status == .notFound)
            let accepted = try await app.send(.POST, path, token: desk.world.rep.token)
            #expect(try accepted.json(OfferDTO.self).status == .accepted)
            #expect(try await app.send(.POST, path, token: desk.world.rep.token).status == .conflict)
            let contact = try #require(try await ContactEventTests.contact("CH-1", on: app.db))
            #expect(contact.$rep.id == desk.world.rep.id)
            #expect(contact.status == .connected)
            #expect(contact.answeredAt == app.clock.now)
            #expect(try await Self.presence(app, desk.world.rep.id) == .busy)

            app.manualClock.advance(by: 300)
            let ended = ContactEventTests.event(
                "CH-1-end", "ended", contact: "CH-1", at: ISO8601DateFormatter().string(from: app.clock.now))
            #expect(try await app.send(.POST, "/api/v1/events", token: desk.pbx, json: ended).status == .ok)
            let wrapUp = try #require(
                try await PresenceRecord.query(on: app.db).filter(\.$user.$id == desk.world.rep.id).first())
            #expect(wrapUp.state == .wrapUp)
            #expect(wrapUp.until == app.clock.now.addingTimeInterval(RoutingSettings.defaults.wrapUp))
            app.manualClock.advance(by: RoutingSettings.defaults.wrapUp + 1)
            try await Router.tick(now: app.clock.now, events: app.events, on: app.db)
            let after = try #require(
                try await PresenceRecord.query(on: app.db).filter(\.$user.$id == desk.world.rep.id).first())
            #expect(after.state == .available)
            #expect(after.since == wrapUp.until)
        }
    }

    @Test func anOfferNobodyTakesGoesToTheNextRepAndTheFirstIsAway() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            try await Self.arrive(app, desk, "CA-1")
            let first = try #require(try await Self.offers(app, desk.world.rep).first)
            app.manualClock.advance(by: RoutingSettings.defaults.offerTimeout - 1)
            try await Router.tick(now: app.clock.now, events: app.events, on: app.db)
            #expect(try await Self.offers(app, desk.world.rep).map(\.id) == [first.id])

            app.manualClock.advance(by: 1)
            try await Router.tick(now: app.clock.now, events: app.events, on: app.db)
            #expect(try await Self.offers(app, desk.world.rep).isEmpty)
            #expect(try await Offer.find(first.id, on: app.db)?.status == .expired)
            #expect(try await Self.presence(app, desk.world.rep.id) == .away)
            #expect(try await Self.offers(app, desk.sarah).map(\.reason) == [.available])
            #expect(
                try await app.send(.POST, "/api/v1/offers/\(first.id)/accept", token: desk.world.rep.token).status
                    == .conflict)
        }
    }

    @Test func aDeclinedContactGoesToTheNextRepAndNotBack() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            try await Self.arrive(app, desk, "CA-1")
            let first = try #require(try await Self.offers(app, desk.world.rep).first)
            let declined = try await app.send(
                .POST, "/api/v1/offers/\(first.id)/decline", token: desk.world.rep.token)
            #expect(try declined.json(OfferDTO.self).status == .declined)
            #expect(try await Self.offers(app, desk.sarah).count == 1)
            // Sarah declines too: nobody else is free, so the contact waits, and is not offered back to either.
            let second = try #require(try await Self.offers(app, desk.sarah).first)
            _ = try await app.send(.POST, "/api/v1/offers/\(second.id)/decline", token: desk.sarah.token)
            try await Router.tick(now: app.clock.now, events: app.events, on: app.db)
            #expect(try await Offer.query(on: app.db).filter(\.$status == .open).count() == 0)
            #expect(try await Self.presence(app, desk.world.rep.id) == .available)
        }
    }

    @Test func aContactThatEndsWhileOfferedWithdrawsTheOffer() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            try await Self.arrive(app, desk, "CA-1")
            let offer = try #require(try await Self.offers(app, desk.world.rep).first)
            let abandoned = ContactEventTests.event(
                "CA-1-gone", "abandoned", contact: "CA-1", at: ISO8601DateFormatter().string(from: app.clock.now))
            #expect(try await app.send(.POST, "/api/v1/events", token: desk.pbx, json: abandoned).status == .ok)
            #expect(try await Offer.find(offer.id, on: app.db)?.status == .withdrawn)
            #expect(try await Self.offers(app, desk.world.rep).isEmpty)
        }
    }

    /// Many arrivals at once, over real HTTP: no rep ever holds two offers and no contact goes to two reps.
    @Test func manyArrivalsAtOnceNeverGiveARepTwoOffers() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            try await LiveServer.run(app) { server in
                let at = ISO8601DateFormatter().string(from: app.clock.now)
                let replies = try await server.concurrently(60) { index in
                    try await server.post(
                        "/api/v1/events", token: desk.pbx,
                        json: ContactEventTests.event(
                            "m\(index)", "arrived", contact: "M-\(index)", at: at,
                            from: "+1312555\(String(format: "%04d", 101 + index))"))
                }
                #expect(replies.allSatisfy { $0.status == .ok })
            }
            // A pass that found another running skipped; the ticker's next pass (here: now) offers what it would have.
            try await Router.tick(now: app.clock.now, events: app.events, on: app.db)
            let open = try await Offer.query(on: app.db).filter(\.$status == .open).all()
            #expect(open.count == 2)
            #expect(Set(open.map(\.$rep.id)) == [desk.world.rep.id, desk.sarah.id])
            #expect(Set(open.map(\.$contact.id)).count == open.count)
        }
    }

    /// Routing fails inside a group of events (here the database refuses every offer): the events are written all
    /// the same, and their contacts are offered once routing works again.
    @Test func whenRoutingFailsTheEventsAreKept() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            let sql = try app.db.sqlDatabase
            if sql.isPostgreSQL {
                try await sql.raw(
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE 'refused'; END $$"
                ).run()
                try await sql.raw(
                    "CREATE TRIGGER refuse BEFORE INSERT ON offers FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
                .run()
            } else {
                try await sql.raw(
                    "CREATE TRIGGER refuse BEFORE INSERT ON offers BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
                .run()
            }
            let at = ISO8601DateFormatter().string(from: app.clock.now)
            let batch = (1...2).map { n in
                ContactEventTests.event(
                    "f\(n)", "arrived", contact: "F-\(n)", at: at, from: "+1312555\(String(format: "%04d", 200 + n))")
            }
            let reply = try await app.send(
                .POST, "/api/v1/events", token: desk.pbx, json: "[" + batch.joined(separator: ",") + "]")
            #expect(try reply.json(ContactEventBatchAnswer.self).results.map(\.result) == [.accepted, .accepted])
            let contacts = try await Contact.query(on: app.db).filter(\.$externalID ~~ ["F-1", "F-2"]).all()
            #expect(contacts.count == 2 && contacts.allSatisfy { $0.status == .queued })
            #expect(try await Offer.query(on: app.db).count() == 0)

            try await sql.raw("DROP TRIGGER refuse\(unsafeRaw: sql.isPostgreSQL ? " ON offers" : "")").run()
            try await Router.tick(now: app.clock.now, events: app.events, on: app.db)
            let open = try await Offer.query(on: app.db).filter(\.$status == .open).all()
            #expect(Set(open.map(\.$contact.id)) == Set(contacts.map(\.id)))
        }
    }

    /// A supervisor sets the program's timings; the next offer and wrap-up follow them.
    @Test func aProgramsOwnTimingsAreUsed() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            let path = "/api/v1/programs/\(desk.world.ride.id!)/routing-settings"
            let defaults = try await app.send(.GET, path, token: desk.world.rep.token).json(RoutingSettingsDTO.self)
            #expect(defaults == RoutingSettingsDTO(.defaults))
            let bad = try await app.send(
                .PUT, path, token: desk.world.supervisor.token, json: #"{"offerTimeoutSeconds":1,"lookbackDays":0}"#)
            #expect(try bad.problem().errors?.map(\.field) == ["lookbackDays", "offerTimeoutSeconds"])
            let saved = try await app.send(
                .PUT, path, token: desk.world.supervisor.token, json: #"{"offerTimeoutSeconds":45,"wrapUpSeconds":5}"#)
            #expect(try saved.json(RoutingSettingsDTO.self).offerTimeoutSeconds == 45)
            #expect(try saved.json(RoutingSettingsDTO.self).lookbackDays == 365)

            try await Self.arrive(app, desk, "CA-1")
            let offer = try #require(try await Self.offers(app, desk.world.rep).first)
            #expect(offer.expiresAt == app.clock.now.addingTimeInterval(45))
            // Too short a lookback: John's last call (63 days ago) no longer counts as "helped last". Saved settings
            // apply to the very next pass (routing remembers them until they change).
            _ = try await app.send(
                .PUT, path, token: desk.world.supervisor.token, json: #"{"lookbackDays":30,"offerTimeoutSeconds":60}"#)
            try await Self.arrive(app, desk, "CA-2")
            let second = try await Self.offers(app, desk.sarah)
            #expect(second.map(\.reason) == [.available])
            #expect(second.first?.expiresAt == app.clock.now.addingTimeInterval(60))
        }
    }

    static func skills(
        _ app: Application, _ desk: Desk, _ user: UUID, _ json: String
    ) async throws
        -> TestingHTTPResponse
    {
        try await app.send(.PUT, "/api/v1/users/\(user)/skills", token: desk.world.supervisor.token, json: json)
    }

    /// Two wait and one rep is free, with `atRiskWaiting` 1: the service level is at risk, so only a customer whose
    /// bereavement note asks for the rep he trusts waits for him (John, whom the busy RIDE rep helped last); with the
    /// note retired, John's call, the older, goes to Sarah.
    @Test(arguments: [true, false]) func whenTheQueueIsAtRiskOnlyABereavedCustomerWaitsForHisRep(
        noteActive: Bool
    ) async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            let path = "/api/v1/programs/\(desk.world.ride.id!)/routing-settings"
            let saved = try await app.send(
                .PUT, path, token: desk.world.supervisor.token, json: #"{"atRiskWaiting":1}"#)
            #expect(saved.status == .ok)
            if !noteActive {
                desk.world.rideCareNote.retiredAt = app.clock.now
                try await desk.world.rideCareNote.save(on: app.db)
            }
            for account in [desk.world.rep, desk.sarah] {
                _ = try await RepPresence.set(
                    account.id == desk.sarah.id ? .away : .busy, userID: account.id, by: nil, until: nil,
                    now: app.clock.now, on: app.db)
            }
            try await Self.arrive(app, desk, "CA-1")
            app.manualClock.advance(by: 1)
            try await Self.arrive(app, desk, "CA-2", from: "+13125550199")
            #expect(try await PresenceTests.put(app, desk.sarah.id, "available", as: desk.sarah.token).status == .ok)
            let offered = try await Self.offers(app, desk.sarah).map(\.contactId)
            let expected = try #require(try await ContactEventTests.contact(noteActive ? "CA-2" : "CA-1", on: app.db))
            #expect(offered == [try expected.requireID()])
        }
    }

    @Test func aCallerWhoNeedsSpanishGetsTheRepWhoSpeaksIt() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            // A call routed (and hung up) before the skills change: routing has read the reps' skills by then, and
            // must not go on using what it read.
            try await Self.arrive(app, desk, "CA-0", from: "+13125550143")
            #expect(try await Self.offers(app, desk.world.rep).count + Self.offers(app, desk.sarah).count == 1)
            let hangUp = ContactEventTests.event(
                "CA-0-x", "abandoned", contact: "CA-0", at: ISO8601DateFormatter().string(from: app.clock.now))
            #expect(try await app.send(.POST, "/api/v1/events", token: desk.pbx, json: hangUp).status == .ok)
            #expect(try await Self.offers(app, desk.world.rep).count + Self.offers(app, desk.sarah).count == 0)
            // John's rep helped him last, but speaks English only; Sarah speaks Spanish too.
            #expect(
                try await Self.skills(
                    app, desk, desk.world.rep.id, #"{"languages":["en"],"channels":[],"nicknames":[]}"#
                ).status == .ok)
            #expect(
                try await Self.skills(
                    app, desk, desk.sarah.id, #"{"languages":["EN","es","es"],"channels":[],"nicknames":[]}"#
                ).status == .ok)
            try await Self.arrive(app, desk, "CA-1", from: "+13125550199", extra: #""language":"es""#)
            #expect(try await Self.offers(app, desk.sarah).map(\.reason) == [.available])
            #expect(try await Self.offers(app, desk.world.rep).isEmpty)
            #expect(try await ContactEventTests.contact("CA-1", on: app.db)?.language == "es")
        }
    }

    /// A pass reads the longest idle `Router.freeLimit` free reps of a program, and every free rep when those few
    /// cannot vouch for a decision: the French caller goes to the one rep who speaks French, idle for less time
    /// than the `freeLimit` English-only reps before him; then more callers than that arrive at once and every one
    /// is offered to a free rep.
    @Test func aPassReadsEveryFreeRepWhenTheLongestIdleFewCannotTakeTheContact() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            for account in [desk.world.rep, desk.sarah] {
                _ = try await RepPresence.set(
                    .away, userID: account.id, by: nil, until: nil, now: app.clock.now, on: app.db)
            }
            var reps: [UUID] = []
            for index in 0...(Router.freeLimit + 1) {
                let user = User(
                    email: "idle\(index)@test.example", fullName: "Idle Rep \(index)", displayName: "Idle \(index)",
                    role: .rep, passwordHash: "-")
                user.languages = index == Router.freeLimit ? ["en", "fr"] : ["en"]
                try await user.save(on: app.db)
                try await user.$programs.attach(desk.world.ride, on: app.db)
                let id = try user.requireID()
                _ = try await RepPresence.set(
                    .available, userID: id, by: nil, until: nil, now: app.clock.now, on: app.db)
                app.manualClock.advance(by: 1)
                reps.append(id)
            }
            app.cached.forget(.userChanged(reps[0]))
            try await Self.arrive(app, desk, "CA-FR", from: "+13125550199", extra: #""language":"fr""#)
            let french = try await Offer.query(on: app.db).filter(\.$status == .open).all()
            #expect(french.map(\.$rep.id) == [reps[Router.freeLimit]])
            #expect(french.map(\.reason) == [.available])

            let at = ISO8601DateFormatter().string(from: app.clock.now)
            let callers = (0...Router.freeLimit).map {
                ContactEventTests.event(
                    "B\($0)", "arrived", contact: "B-\($0)", at: at, from: "+1312555\(String(format: "%04d", 200 + $0))"
                )
            }
            let reply = try await app.send(
                .POST, "/api/v1/events", token: desk.pbx, json: "[" + callers.joined(separator: ",") + "]")
            #expect(reply.status == .ok)
            let open = try await Offer.query(on: app.db).filter(\.$status == .open).all()
            #expect(open.count == Router.freeLimit + 2)
            #expect(Set(open.map(\.$rep.id)) == Set(reps))
            #expect(Set(open.map(\.$contact.id)).count == open.count)
        }
    }

    @Test func aChatGoesToARepWhoTakesChatsAndANicknameFindsItsRep() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            #expect(
                try await Self.skills(
                    app, desk, desk.world.rep.id, #"{"languages":[],"channels":["voice"],"nicknames":[]}"#
                ).status == .ok)
            let sarah = try await Self.skills(
                app, desk, desk.sarah.id, #"{"languages":[],"channels":["voice","email"],"nicknames":["Sally"]}"#)
            #expect(try sarah.json(UserSkills.self) == UserSkills(channels: [.voice, .email], nicknames: ["Sally"]))
            try await Self.arrive(app, desk, "CH-1", from: "help@ride.example", channel: "email")
            #expect(try await Self.offers(app, desk.sarah).count == 1)
            #expect(try await Self.offers(app, desk.world.rep).isEmpty)
            // John asks for "sally": Sarah, once she is free.
            try await Self.arrive(app, desk, "CA-2", extra: #""requestedRep":"sally""#)
            let contact = try #require(try await ContactEventTests.contact("CA-2", on: app.db))
            #expect(contact.routingNote == nil, "the nickname names a rep")
        }
    }

    @Test func skillsAreCheckedAndOnlySupervisorsChangeThem() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            let bad = try await Self.skills(
                app, desk, desk.sarah.id, #"{"languages":["spanish"],"channels":["fax"],"nicknames":[" "]}"#)
            #expect(bad.status == .unprocessableEntity || bad.status == .badRequest)
            let invalid = try await Self.skills(
                app, desk, desk.sarah.id, #"{"languages":["spanish"],"channels":[],"nicknames":[" "]}"#)
            #expect(invalid.status == .unprocessableEntity)
            #expect(try invalid.problem().errors?.map(\.field) == ["languages[0]", "nicknames[0]"])
            let path = "/api/v1/users/\(desk.sarah.id)/skills"
            let own = try await app.send(
                .PUT, path, token: desk.sarah.token, json: #"{"languages":[],"channels":[],"nicknames":[]}"#)
            #expect(own.status == .forbidden)
            #expect(try await app.send(.GET, path, token: desk.sarah.token).json(UserSkills.self) == UserSkills())
            let event = ContactEventTests.event(
                "CA-9", "arrived", contact: "CA-9", at: ISO8601DateFormatter().string(from: app.clock.now),
                extra: #""language":"Spanish""#)
            let refused = try await app.send(.POST, "/api/v1/events", token: desk.pbx, json: event)
            #expect(try refused.problem().errors?.map(\.field) == ["language"])
        }
    }
}
