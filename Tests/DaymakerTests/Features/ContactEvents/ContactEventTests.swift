import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

/// `POST /api/v1/events`: idempotent by event id, applied by the events' own times, a batch answered per event.
@Suite struct ContactEventTests {
    /// A token with the telephony scope for the RIDE rep, as a PBX would hold.
    static func pbxToken(_ world: World, on app: Application) async throws -> String {
        try await APITokens.create(
            for: world.rep.user, name: "pbx", scopeNames: ["telephony"], actor: nil, now: app.clock.now, on: app.db
        ).1
    }

    /// One event as JSON; `extra` adds fields such as `"repId":"…"`.
    static func event(
        _ id: String, _ type: String, contact: String, at: String, program: String = "RIDE",
        from: String = "(312) 555-0142", extra: String = ""
    ) -> String {
        """
        {"eventId":"\(id)","type":"\(type)","program":"\(program)","externalContactId":"\(contact)","channel":"voice",
         "from":"\(from)","to":"312-555-0100","at":"\(at)"\(extra.isEmpty ? "" : "," + extra)}
        """
    }

    static func contact(_ external: String, on db: any Database) async throws -> Contact? {
        try await Contact.query(on: db).filter(\.$externalID == external).first()
    }

    @Test func anArrivalRecognisesTheCallerAndLinksTheContact() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await Self.pbxToken(world, on: app)
            let reply = try await app.send(
                .POST, "/api/v1/events", token: token,
                json: Self.event(
                    "e1", "arrived", contact: "CA-1", at: "2026-12-03T09:00:00Z",
                    extra: #""requestedRep":"Sarah","reason":"Ride home""#))
            #expect(reply.status == .ok)
            let answer = try reply.json(ContactEventAnswer.self)
            #expect(answer.result == .accepted)
            #expect(answer.customerId == world.rideCustomer.id)
            let contact = try #require(try await Self.contact("CA-1", on: app.db))
            #expect(answer.contactId == contact.id)
            #expect(contact.$customer.id == world.rideCustomer.id)
            #expect(contact.fromAddress == "+13125550142")
            #expect(contact.status == .queued)
            #expect(contact.requestedRep == "Sarah")
            #expect(contact.reason == "Ride home")
            #expect(contact.arrivedAt == ISO8601DateFormatter().date(from: "2026-12-03T09:00:00Z"))
        }
    }

    @Test func aCustomerNumberKeyedInTheIVRWinsOverTheCallingNumber() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await Self.pbxToken(world, on: app)
            let reply = try await app.send(
                .POST, "/api/v1/events", token: token,
                json: Self.event(
                    "e1", "arrived", contact: "CA-2", at: "2026-12-03T09:00:00Z", from: "+1 773 555 0199",
                    extra: #""customerNumber":"100001""#))
            #expect(try reply.json(ContactEventAnswer.self).customerId == world.rideCustomer.id)
        }
    }

    @Test func aSharedNumberLinksNobodyAndNamesTheCandidates() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let spouse = try await Customer.create(
                try CustomerDraft.validate(
                    customerNumber: "100002", fullName: "Mary Miller", preferredName: nil,
                    phones: [.init(number: "312-555-0142", label: "home")], emails: [], handles: [], timeZone: nil,
                    notes: "", preferredRepID: nil, country: "US"),
                programID: world.ride.id!, on: app.db)
            let token = try await Self.pbxToken(world, on: app)
            let answer = try await app.send(
                .POST, "/api/v1/events", token: token,
                json: Self.event("e1", "arrived", contact: "CA-3", at: "2026-12-03T09:00:00Z")
            ).json(ContactEventAnswer.self)
            #expect(answer.customerId == nil)
            #expect(Set(answer.candidates ?? []) == Set([world.rideCustomer.id!, spouse.id!].map(\.lowercaseText)))
            #expect(try await Self.contact("CA-3", on: app.db)?.$customer.id == nil)
        }
    }

    @Test func eventsOutOfOrderLeaveTheRightTimeline() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await Self.pbxToken(world, on: app)
            let rep = #""repId":"\#(world.rep.id)""#
            for json in [
                Self.event("e1", "arrived", contact: "CA-4", at: "2026-12-03T09:00:00Z"),
                Self.event("e4", "ended", contact: "CA-4", at: "2026-12-03T09:05:00Z"),
                Self.event("e3", "answered", contact: "CA-4", at: "2026-12-03T09:00:30Z", extra: rep),
                Self.event("e2", "queued", contact: "CA-4", at: "2026-12-03T09:00:01Z"),
            ] {
                #expect(try await app.send(.POST, "/api/v1/events", token: token, json: json).status == .ok)
            }
            let contact = try #require(try await Self.contact("CA-4", on: app.db))
            let iso = ISO8601DateFormatter()
            #expect(contact.status == .ended)
            #expect(contact.answeredAt == iso.date(from: "2026-12-03T09:00:30Z"))
            #expect(contact.endedAt == iso.date(from: "2026-12-03T09:05:00Z"))
            #expect(contact.$rep.id == world.rep.id)
            // An event that would put the timeline out of order is refused and changes nothing.
            let early = try await app.send(
                .POST, "/api/v1/events", token: token,
                json: Self.event("e5", "answered", contact: "CA-4", at: "2026-12-03T08:59:00Z", extra: rep))
            #expect(early.status == .unprocessableEntity)
            #expect(try early.problem().errors?.map(\.field) == ["at"])
            #expect(try await ContactEventRecord.query(on: app.db).count() == 4)
        }
    }

    /// Times with fractions of a second (a telephony adapter's clock) come back from either database a hair off;
    /// an arrival and the events at its very instant are still in order.
    @Test func timesWithFractionsOfASecondKeepTheirOrder() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await Self.pbxToken(world, on: app)
            let rep = #""repId":"\#(world.rep.id)""#
            for n in 0..<12 {
                let at = "2026-12-03T09:00:0\(n % 10).\(String(format: "%06d", 123_457 * (n + 1) % 1_000_000))Z"
                for (type, extra) in [("arrived", ""), ("queued", ""), ("answered", rep), ("ended", "")] {
                    let json = Self.event("f\(n)-\(type)", type, contact: "CA-F\(n)", at: at, extra: extra)
                    let answer = try await app.send(.POST, "/api/v1/events", token: token, json: json)
                    #expect(answer.status == .ok, "\(type) at \(at): \(answer.body.string)")
                }
            }
            let ours = (0..<12).map { "CA-F\($0)" }
            let contacts = try await Contact.query(on: app.db).filter(\.$externalID ~~ ours).all()
            #expect(contacts.count == 12)
            #expect(contacts.allSatisfy { $0.status == .ended && $0.$rep.id == world.rep.id })
        }
    }

    @Test func aRetryChangesNothingAndIsAnsweredAsTheFirstTime() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await Self.pbxToken(world, on: app)
            let arrived = Self.event("e1", "arrived", contact: "CA-5", at: "2026-12-03T09:00:00Z")
            let first = try await app.send(.POST, "/api/v1/events", token: token, json: arrived)
            let contact = try #require(try await Self.contact("CA-5", on: app.db))
            contact.$customer.id = nil  // the desk unlinks it meanwhile; the retry must not relink it
            try await contact.save(on: app.db)
            let again = try await app.send(.POST, "/api/v1/events", token: token, json: arrived)
            #expect(again.status == first.status)
            #expect(again.body.string == first.body.string)
            let batch = try await app.send(.POST, "/api/v1/events", token: token, json: "[\(arrived)]")
            let results = try batch.json(ContactEventBatchAnswer.self).results
            #expect(results.map(\.result) == [.duplicate])
            #expect(results.first?.contactId == contact.id)
            #expect(try await Contact.query(on: app.db).filter(\.$externalID == "CA-5").count() == 1)
            #expect(try await ContactEventRecord.query(on: app.db).count() == 1)
            #expect(try await Self.contact("CA-5", on: app.db)?.$customer.id == nil)
        }
    }

    @Test func anEventForAContactThatNeverArrivedIsRefusedNamingTheField() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await Self.pbxToken(world, on: app)
            let reply = try await app.send(
                .POST, "/api/v1/events", token: token,
                json: Self.event("e1", "answered", contact: "CA-unknown", at: "2026-12-03T09:00:00Z"))
            #expect(reply.status == .unprocessableEntity)
            #expect(try reply.problem().errors?.map(\.field) == ["externalContactId"])
            #expect(try await ContactEventRecord.query(on: app.db).count() == 0)
            #expect(try await Self.contact("CA-unknown", on: app.db) == nil)
        }
    }

    /// A caller id no rule accepts is kept as the carrier sent it, flagged as not callable, never dropped.
    @Test func aCallerIDThatIsNoNumberIsKeptAsDialledAndNotCallable() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await Self.pbxToken(world, on: app)
            let reply = try await app.send(
                .POST, "/api/v1/events", token: token,
                json: Self.event("u1", "arrived", contact: "CA-U", at: "2026-12-03T09:00:00Z", from: "555 01"))
            #expect(reply.status == .ok)
            #expect(try reply.json(ContactEventAnswer.self).customerId == nil)
            let contact = try #require(try await Self.contact("CA-U", on: app.db))
            #expect(contact.fromAddress == "555 01")
            #expect(contact.fromProblem != nil)
            let shown = try await app.send(.GET, "/api/v1/contacts/\(contact.id!)", token: world.rep.token)
            #expect(try shown.json(ContactDTO.self).fromCallable == false)
            let good = try await app.send(.GET, "/api/v1/contacts/\(world.rideContact.id!)", token: world.rep.token)
            #expect(try good.json(ContactDTO.self).fromCallable)
            // Nothing printable, or far too long to be a caller id: refused on `from`.
            let long = String(repeating: "9", count: 41)
            let refused = try await app.send(
                .POST, "/api/v1/events", token: token,
                json: Self.event("u2", "arrived", contact: "CA-V", at: "2026-12-03T09:00:00Z", from: long))
            #expect(try refused.problem().errors?.map(\.field) == ["from"])
        }
    }

    @Test func aBatchAnswersPerEventAndKeepsTheGoodOnes() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await Self.pbxToken(world, on: app)
            let batch = [
                Self.event("b1", "arrived", contact: "CA-6", at: "2026-12-03T09:00:00Z"),
                Self.event("b2", "ended", contact: "CA-nobody", at: "2026-12-03T09:00:00Z"),
                #"{"eventId":"b3","type":"exploded"}"#,
                Self.event("b4", "abandoned", contact: "CA-6", at: "2026-12-03T09:01:00Z"),
                Self.event("b1", "arrived", contact: "CA-6", at: "2026-12-03T09:00:00Z"),
                Self.event("b5", "arrived", contact: "CA-7", at: "2026-12-03T09:00:00Z", program: "HELP"),
                // Read as strictly as a single event: a field Daymaker does not know, a NUL; a null is nothing.
                Self.event("b6", "arrived", contact: "CA-8", at: "2026-12-03T09:00:00Z", extra: #""colour":"red""#),
                Self.event("b7", "arrived", contact: "CA-8", at: "2026-12-03T09:00:00Z", from: #"312\u0000"#),
                Self.event("b8", "arrived", contact: "CA-8", at: "2026-12-03T09:00:00Z", extra: #""colour":null"#),
                "42",
            ]
            let reply = try await app.send(
                .POST, "/api/v1/events", token: token, json: "[" + batch.joined(separator: ",") + "]")
            #expect(reply.status == .ok)
            let results = try reply.json(ContactEventBatchAnswer.self).results
            #expect(results.map(\.eventId) == ["b1", "b2", "b3", "b4", "b1", "b5", "b6", "b7", "b8", nil])
            #expect(
                results.map(\.result) == [
                    .accepted, .rejected, .rejected, .accepted, .duplicate, .rejected, .rejected, .rejected, .accepted,
                    .rejected,
                ])
            #expect(results[1].problem?.errors?.map(\.field) == ["externalContactId"])
            // Problems are named as for an event sent alone, not by their place in the batch.
            #expect(results[2].problem?.status == 422)
            #expect(results[2].problem?.errors?.map(\.field) == ["type"])
            #expect(results[6].problem?.errors?.map(\.field) == ["colour"])
            #expect(results[7].problem?.errors?.map(\.field) == ["from"])
            #expect(results[9].problem?.status == 422)
            #expect(results[5].problem?.status == 404)  // the PBX's user is not in HELP
            let contact = try #require(try await Self.contact("CA-6", on: app.db))
            #expect(contact.status == .abandoned)
            #expect(try await ContactEventRecord.query(on: app.db).count() == 3)

            let alone = try await app.send(.POST, "/api/v1/events", token: token, json: batch[6])
            #expect(alone.status == .unprocessableEntity)
            #expect(try alone.problem().errors?.map(\.field) == ["colour"])

            // A batch in which nothing passes the checks is answered per event as well (nothing to write).
            let noneFit = try await app.send(.POST, "/api/v1/events", token: token, json: "[{}, 42]")
            #expect(noneFit.status == .ok)
            #expect(try noneFit.json(ContactEventBatchAnswer.self).results.map(\.result) == [.rejected, .rejected])

            let tooMany =
                "[" + Array(repeating: batch[0], count: ContactEvents.batchLimit + 1).joined(separator: ",") + "]"
            let refused = try await app.send(.POST, "/api/v1/events", token: token, json: tooMany)
            #expect(try refused.problem().errors?.map(\.field) == ["events"])
        }
    }

    @Test func onlyATelephonyTokenMayReportEvents() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let json = Self.event("e1", "arrived", contact: "CA-8", at: "2026-12-03T09:00:00Z")
            let writer = try await app.send(.POST, "/api/v1/events", token: world.rep.token, json: json)
            #expect(writer.status == .forbidden)
            let anonymous = try await app.send(.POST, "/api/v1/events", json: json)
            #expect(anonymous.status == .unauthorized)
            // A telephony token opens this route and the card, nothing else.
            let token = try await Self.pbxToken(world, on: app)
            let customers = try await app.send(.GET, "/api/v1/customers?program=RIDE", token: token)
            #expect(customers.status == .forbidden)
            #expect(try await Self.contact("CA-8", on: app.db) == nil)
        }
    }

    /// An event folds only after every other event of its contact that started before it has committed: here
    /// another delivery's transaction holds an `ended` event while an `answered` comes in; the contact must end
    /// up with both.
    @Test func anEventWaitsForTheOtherEventsOfItsContact() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await Self.pbxToken(world, on: app)
            let arrived = Self.event("w0", "arrived", contact: "CA-10", at: "2026-12-03T09:00:00Z")
            #expect(try await app.send(.POST, "/api/v1/events", token: token, json: arrived).status == .ok)
            let contact = try #require(try await Self.contact("CA-10", on: app.db))
            let ended = try #require(ISO8601DateFormatter().date(from: "2026-12-03T09:04:00Z"))
            let answered = Self.event(
                "w1", "answered", contact: "CA-10", at: "2026-12-03T09:00:20Z", extra: #""repId":"\#(world.rep.id)""#)
            let (written, signal) = AsyncStream<Void>.makeStream()
            let other = Task {
                try await app.db.writeTransaction { db in
                    // What another delivery of an `ended` event writes, committed only after the `answered` came in.
                    let record = ContactEventRecord()
                    record.$program.id = world.ride.id!
                    record.eventID = "w2"
                    record.$contact.id = contact.id!
                    record.type = .ended
                    record.at = ended
                    record.answer = "{}"
                    record.receivedAt = ended
                    try await record.create(on: db)
                    try await Contact.query(on: db).filter(\.$id == contact.id!).set(\.$status, to: .ended)
                        .set(\.$endedAt, to: ended).update()
                    signal.yield()
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
            for await _ in written { break }
            #expect(try await app.send(.POST, "/api/v1/events", token: token, json: answered).status == .ok)
            try await other.value
            let stored = try #require(try await Contact.find(contact.id, on: app.db))
            #expect(stored.status == .ended)
            #expect(stored.endedAt == ended)
            #expect(stored.$rep.id == world.rep.id)
        }
    }

    /// Telephony systems retry: many deliveries of the same events at once apply each event exactly once, and
    /// many first events of new contacts at once make each contact exactly once.
    @Test func concurrentDeliveriesApplyEachEventOnce() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await Self.pbxToken(world, on: app)
            let rep = #""repId":"\#(world.rep.id)""#
            try await LiveServer.run(app) { server in
                let arrived = Self.event("c0", "arrived", contact: "CA-9", at: "2026-12-03T09:00:00Z")
                #expect(try await server.post("/api/v1/events", token: token, json: arrived).status == .ok)
                // Twelve events of one contact, each delivered three times, all at once: every fold must see
                // every event committed before it, or the last one to commit leaves a timeline that misses some.
                let events =
                    [
                        Self.event("c1", "answered", contact: "CA-9", at: "2026-12-03T09:00:20Z", extra: rep),
                        Self.event("c2", "ended", contact: "CA-9", at: "2026-12-03T09:04:00Z"),
                    ]
                    + (3...12).map {
                        Self.event("c\($0)", "queued", contact: "CA-9", at: "2026-12-03T09:00:0\($0 % 10)Z")
                    }
                let replies = try await server.concurrently(36) { index in
                    try await server.post("/api/v1/events", token: token, json: events[index % 12])
                }
                #expect(replies.allSatisfy { $0.status == .ok })
                #expect(try await ContactEventRecord.query(on: app.db).count() == 13)
                let contact = try #require(try await Self.contact("CA-9", on: app.db))
                #expect(contact.status == .ended)
                #expect(contact.answeredAt == ISO8601DateFormatter().date(from: "2026-12-03T09:00:20Z"))
                #expect(contact.$rep.id == world.rep.id)

                // Ten new contacts, each arrival delivered three times at once.
                let arrivals = try await server.concurrently(30) { index in
                    try await server.post(
                        "/api/v1/events", token: token,
                        json: Self.event(
                            "n\(index % 10)", "arrived", contact: "NEW-\(index % 10)", at: "2026-12-03T10:00:00Z"))
                }
                #expect(arrivals.allSatisfy { $0.status == .ok })
                let made = try await Contact.query(on: app.db).filter(\.$externalID ~~ (0..<10).map { "NEW-\($0)" })
                    .all()
                #expect(made.count == 10)
                #expect(try await ContactEventRecord.query(on: app.db).count() == 23)
                // Each of the three deliveries of an arrival names the same contact.
                for n in 0..<10 {
                    let ids = try [n, n + 10, n + 20].map {
                        try JSONDecoder().decode(ContactEventAnswer.self, from: Data(buffer: arrivals[$0].body))
                            .contactId
                    }
                    #expect(Set(ids).count == 1)
                }
            }
        }
    }
}

extension LiveServer {
    func post(_ path: String, token: String, json: String) async throws -> HTTPReply {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: token)
        headers.contentType = .json
        return try await exchange(.POST, path, headers: headers, body: ByteBuffer(string: json))
    }
}

/// Group commit: events that come in while a group is being written are written together in the next one, each
/// answered as if sent alone.
@Suite struct ContactEventGroupTests {
    @Test func aGroupMovesItsRepInTheOrderItsEventsCame() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await ContactEventTests.pbxToken(world, on: app)
            let rep = #""repId":"\#(world.rep.id)""#
            let batch = [
                ContactEventTests.event("m1", "arrived", contact: "M-1", at: "2026-12-03T09:00:00Z"),
                ContactEventTests.event("m2", "answered", contact: "M-1", at: "2026-12-03T09:00:10Z", extra: rep),
                ContactEventTests.event("m3", "ended", contact: "M-1", at: "2026-12-03T09:05:00Z"),
                ContactEventTests.event("m4", "arrived", contact: "M-2", at: "2026-12-03T09:05:30Z"),
                ContactEventTests.event("m5", "answered", contact: "M-2", at: "2026-12-03T09:05:40Z", extra: rep),
            ]
            let reply = try await app.send(
                .POST, "/api/v1/events", token: token, json: "[" + batch.joined(separator: ",") + "]")
            #expect(try reply.json(ContactEventBatchAnswer.self).results.allSatisfy { $0.result == .accepted })
            // Busy on the first call, in wrap-up after it, busy again on the second: each move logged once.
            let presence = try #require(
                try await PresenceRecord.query(on: app.db).filter(\.$user.$id == world.rep.id).first())
            #expect(presence.state == .busy)
            #expect(presence.until == nil)
            let log = try await PresenceChange.query(on: app.db).filter(\.$user.$id == world.rep.id).all()
            #expect(log.map(\.state).sorted { $0.rawValue < $1.rawValue } == [.busy, .busy, .wrapUp])
            #expect(log.allSatisfy { $0.at == app.clock.now && $0.changedBy == nil })
            // A second end of the first call (another event id) does not take the rep off the second.
            let late = ContactEventTests.event("m6", "ended", contact: "M-1", at: "2026-12-03T09:06:00Z")
            #expect(try await app.send(.POST, "/api/v1/events", token: token, json: late).status == .ok)
            #expect(try await RoutingTests.presence(app, world.rep.id) == .busy)
            #expect(try await PresenceChange.query(on: app.db).filter(\.$user.$id == world.rep.id).count() == 3)
        }
    }

    /// A group writes its new contacts and events in one statement (on PostgreSQL as arrays, nulls and all): what
    /// each column holds, present or missing, comes back as it went in.
    @Test func aContactThatArrivesAndEndsInOneGroupIsStoredWhole() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await ContactEventTests.pbxToken(world, on: app)
            let rep = #""repId":"\#(world.rep.id)""#
            let batch = [
                ContactEventTests.event(
                    "w1", "arrived", contact: "W-1", at: "2026-12-03T09:00:00.25Z",
                    extra: #""requestedRep":"Sarah","language":"es","reason":"Lost wallet""#),
                ContactEventTests.event("w2", "answered", contact: "W-1", at: "2026-12-03T09:00:10Z", extra: rep),
                ContactEventTests.event("w3", "ended", contact: "W-1", at: "2026-12-03T09:05:00Z"),
                ContactEventTests.event("w4", "arrived", contact: "W-2", at: "2026-12-03T09:06:00Z", from: "555 01"),
            ]
            let reply = try await app.send(
                .POST, "/api/v1/events", token: token, json: "[" + batch.joined(separator: ",") + "]")
            let results = try reply.json(ContactEventBatchAnswer.self).results
            #expect(results.map(\.result) == [.accepted, .accepted, .accepted, .accepted])
            let nine = try #require(ISO8601DateFormatter().date(from: "2026-12-03T09:00:00Z"))
            let whole = try #require(try await ContactEventTests.contact("W-1", on: app.db))
            #expect(whole.$customer.id == world.rideCustomer.id)
            #expect(whole.status == .ended)
            #expect(whole.arrivedAt == nine + 0.25)
            #expect(whole.answeredAt == nine + 10)
            #expect(whole.endedAt == nine + 300)
            #expect(whole.$rep.id == world.rep.id)
            #expect(whole.requestedRep == "Sarah")
            #expect(whole.language == "es")
            #expect(whole.reason == "Lost wallet")
            #expect(whole.fromProblem == nil)
            #expect(whole.direction == .inbound)
            #expect(whole.createdAt == app.clock.now)
            let events = try await ContactEventRecord.query(on: app.db).filter(\.$contact.$id == whole.id!)
                .sort(\.$at).all()
            #expect(events.map(\.eventID) == ["w1", "w2", "w3"])
            #expect(events.map(\.repID) == [nil, world.rep.id, nil])
            #expect(events.map(\.receivedAt) == Array(repeating: app.clock.now, count: 3))
            let answers = try events.map {
                try JSONDecoder.daymaker.decode(ContactEventAnswer.self, from: Data($0.answer.utf8))
            }
            #expect(answers.map(\.contactId) == Array(repeating: whole.id, count: 3))
            // Nobody calling from a number nobody has: every optional column empty.
            let bare = try #require(try await ContactEventTests.contact("W-2", on: app.db))
            #expect(bare.$customer.id == nil)
            #expect(bare.status == .queued)
            #expect(bare.answeredAt == nil && bare.endedAt == nil && bare.$rep.id == nil)
            #expect(bare.requestedRep == nil && bare.language == nil && bare.reason == nil)
            #expect(bare.fromAddress == "555 01")
            #expect(bare.fromProblem != nil)
        }
    }

    @Test func eventsThatComeInWhileAGroupIsWrittenAreWrittenTogether() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = try await ContactEventTests.pbxToken(world, on: app)
            let arrived = ContactEventTests.event("g0", "arrived", contact: "G-0", at: "2026-12-03T09:00:00Z")
            #expect(try await app.send(.POST, "/api/v1/events", token: token, json: arrived).status == .ok)
            _ = await app.events.contactEvents.summary()
            let contact = try #require(try await ContactEventTests.contact("G-0", on: app.db))

            try await LiveServer.run(app) { server in
                // Another transaction holds G-0 (PostgreSQL: its row; SQLite: the file) while the events come in:
                // the first group waits for it, and everything sent meanwhile queues for the next group.
                let (held, signal) = AsyncStream<Void>.makeStream()
                let holder = Task {
                    try await app.db.writeTransaction { db in
                        let sql = try db.sqlDatabase
                        if sql.isPostgreSQL {
                            try await sql.raw("SELECT id FROM contacts WHERE id = \(bind: contact.id!) FOR UPDATE")
                                .run()
                        }
                        signal.yield()
                        try await Task.sleep(for: .milliseconds(800))
                    }
                }
                for await _ in held { break }
                let ended = ContactEventTests.event("g-end", "abandoned", contact: "G-0", at: "2026-12-03T09:01:00Z")
                let replies = try await server.concurrently(41) { index in
                    if index == 0 { return try await server.post("/api/v1/events", token: token, json: ended) }
                    try await Task.sleep(for: .milliseconds(100))  // after the first, while it waits
                    // Twenty new contacts, each arrival sent twice: written once, the second answered as the first.
                    let n = (index - 1) % 20
                    return try await server.post(
                        "/api/v1/events", token: token,
                        json: ContactEventTests.event(
                            "g\(n + 1)", "arrived", contact: "G-\(n + 1)", at: "2026-12-03T09:00:00Z"))
                }
                try await holder.value
                #expect(replies.allSatisfy { $0.status == .ok })
                let answers = try replies.map {
                    try JSONDecoder().decode(ContactEventAnswer.self, from: Data(buffer: $0.body))
                }
                for n in 1...20 { #expect(answers[n].contactId == answers[n + 20].contactId) }
                #expect(Set(answers.dropFirst().map(\.contactId)).count == 20)
                #expect(
                    try await Contact.query(on: app.db).filter(\.$externalID ~~ (0...20).map { "G-\($0)" }).count()
                        == 21)
                #expect(try await ContactEventRecord.query(on: app.db).count() == 22)
                #expect(try await ContactEventTests.contact("G-0", on: app.db)?.status == .abandoned)
                // The first event waited alone; the forty that came in meanwhile were written in a few groups (how
                // many depends on when each request got past its sign-in check), not one each.
                let written = try #require(await app.events.contactEvents.summary())
                #expect(written.events == 41)
                #expect(written.groups < 8)
            }
        }
    }
}
