import DaymakerCore
import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit

/// Contact events applied together in one write transaction (see ``ContactEventWriter``).
///
/// What the group needs is read in a few statements whatever its size (the answers given before, the contacts the
/// events name with their events, who the callers are, which reps are members), each event is checked and folded
/// in memory in the order it came, and what changed is written in a few more. An event that does not fit is
/// refused on its own; the others are written. The programs the events touched are routed in the same
/// transaction, so an arrival's offer commits with it: on PostgreSQL the new contacts and events are written by
/// the statement that reads the routing pass (a round trip fewer), on SQLite, whose statements cost no round trip,
/// before it.
enum EventGroup {
    /// One event to apply, checked and with its program looked up.
    struct Item: Sendable {
        let checked: ContactEvents.Checked
        let event: ContactEventRequest
        let program: Program
        /// When the request carrying it came in.
        let now: Date

        var eventKey: EventKey { EventKey(program: program.id!, eventID: checked.eventID) }
        var contactKey: ContactKey { ContactKey(program: program.id!, externalID: checked.externalID) }
    }

    /// What became of one event: its answer, and whether it was new (false: a retry, given the first answer).
    typealias Outcome = Result<(answer: ContactEventAnswer, isNew: Bool), any Error>

    struct EventKey: Hashable { let program: UUID, eventID: String }
    struct ContactKey: Hashable { let program: UUID, externalID: String }

    /// Applies `items` in one transaction and routes what they left waiting. Should the transaction fail as a whole
    /// (another instance wrote the same event or contact in between), each event is applied again on its own, so
    /// one event's trouble is never another's.
    static func write(_ items: [Item], events: Events, on db: any Database) async -> [Outcome] {
        if items.count == 1 { return await writeAlone(items[0], events: events, on: db) }
        if let outcomes = try? await writeOnce(items, events: events, on: db) { return outcomes }
        var outcomes: [Outcome] = []
        for item in items { outcomes += await writeAlone(item, events: events, on: db) }
        return outcomes
    }

    /// One event in a group of its own; a unique index broken by a racing delivery is looked at again.
    private static func writeAlone(_ item: Item, events: Events, on db: any Database) async -> [Outcome] {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await writeOnce([item], events: events, on: db)
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 3 {
                continue
            } catch {
                return [.failure(error)]
            }
        }
    }

    /// Writes the group and routes its programs in the same transaction; should routing fail (undoing the whole
    /// transaction: PostgreSQL keeps nothing of a transaction after an error), the group is written again without
    /// it and its programs are routed once it is committed, so routing's trouble never costs an event.
    private static func writeOnce(_ items: [Item], events: Events, on db: any Database) async throws -> [Outcome] {
        do {
            return try await writeOnce(items, routing: true, events: events, on: db)
        } catch let failure as RoutingFailure {
            db.logger.warning("Routing within a group of events failed: \(String(reflecting: type(of: failure.error)))")
            return try await writeOnce(items, routing: false, events: events, on: db)
        }
    }

    /// Routing inside a group's transaction failed with `error`.
    private struct RoutingFailure: Error {
        let error: any Error
    }

    /// Runs routing's part of a group, its failure told apart.
    private static func routingFailure<T>(_ routing: () async throws -> T) async throws -> T {
        do {
            return try await routing()
        } catch {
            throw RoutingFailure(error: error)
        }
    }

    private static func writeOnce(
        _ items: [Item], routing: Bool, events: Events, on db: any Database
    ) async throws -> [Outcome] {
        let now = items.map(\.now).max() ?? Date()
        let (outcomes, changes, routed, read, waiting) = try await events.writeTransaction(on: db) { sql, db in
            var group = try await Group(items, on: sql)
            let outcomes = group.fold()
            let changes = try await group.storeChanges(now: now, settings: events.routingSettings)
            let routed: (offers: [Offer], unrouted: [UUID])
            // When the pass reads, and when the new contacts begin to wait (written, in this transaction) until
            // their offers commit with them.
            var read = ContinuousClock.now
            let waiting: ContinuousClock.Instant
            if routing, sql.isPostgreSQL, !group.stored.isEmpty {
                // The pass's read writes the new contacts and events (a statement that fails fails as routing
                // does: the events are written again without routing).
                let pass = try await routingFailure {
                    try await Router.routeWithin(
                        programs: changes.programs, storing: group.storing, now: now, events: events, on: sql,
                        reading: db)
                }
                guard let stored = pass.stored else {
                    throw InternalFault("A routing pass given a group's contacts to write did not write them.")
                }
                (routed, waiting) = ((pass.offers, pass.unrouted), stored)
            } else {
                try await group.storeNew(on: db)
                waiting = ContinuousClock.now
                read = waiting
                routed =
                    routing
                    ? try await routingFailure {
                        let pass = try await Router.routeWithin(
                            programs: changes.programs, now: now, events: events, on: sql, reading: db)
                        return (pass.offers, pass.unrouted)
                    } : ([], changes.programs)
            }
            return (outcomes, changes, routed, read, waiting)
        }
        let committed = ContinuousClock.now
        events.routingTimings.record(committed - waiting, pass: committed - read, offers: routed.offers.count)
        await events.publish(
            changes.presenceChanged.map(DomainEvent.presenceChanged) + changes.programs.map(DomainEvent.queueChanged)
                + routed.offers.map { .offerChanged($0.$rep.id) }, on: db)
        // Email that arrives during an incident on email is answered with its auto-reply (queued, sent apart).
        do {
            try await Outbox.queueAutoReplies(changes.emails, configured: events.mailConfigured, now: now, on: db)
        } catch {
            db.logger.warning("Auto-replies not queued: \(String(reflecting: type(of: error)))")
        }
        // Another pass over these programs held them (or routing was left out): route them now.
        for program in routed.unrouted { try? await Router.route(programID: program, now: now, events: events, on: db) }
        return outcomes
    }

    /// A group's new contacts and events, written on PostgreSQL by one prepared statement: alone (`StoreNew`), or
    /// with the routing pass's read (`StoreNewRouting`, see `Router.Storing`). The contacts' columns are one array
    /// parameter each, then the events', null where a value is missing.
    enum StoreNew: PreparedText {
        static let name = "daymaker_event_group_store_new"
        static let sql = "WITH \(inserts(from: 1)) SELECT count(*) FROM made"
    }

    enum StoreNewRouting: PreparedText {
        static let name = "daymaker_event_group_store_new_routing"
        static let sql = RoutingSQL.storingPass(inserts: inserts(from: 3))
    }

    /// The inserts of `StoreNew` as common table expressions, `made` (the contacts, returning what routing reads
    /// of them) and `recorded` (the events), their parameters numbered from `first`: the contacts' 17 columns, then
    /// the events' 9.
    private static func inserts(from first: Int) -> String {
        let p = (first..<first + 26).map { "$\($0)" }
        return """
            made AS (INSERT INTO contacts (id, program_id, customer_id, channel, direction, from_address, to_address,
            status, arrived_at, answered_at, ended_at, rep_id, reason, external_id, requested_rep, language,
            from_problem, created_at, updated_at)
            SELECT c.id, c.program_id, c.customer_id, c.channel, '\(Contact.Direction.inbound.rawValue)',
            c.from_address, c.to_address, c.status, c.arrived_at, c.answered_at, c.ended_at, c.rep_id, c.reason,
            c.external_id, c.requested_rep, c.language, c.from_problem, c.created_at, c.created_at
            FROM unnest(\(p[0])::uuid[], \(p[1])::uuid[], \(p[2])::uuid[], \(p[3])::text[], \(p[4])::text[],
            \(p[5])::text[], \(p[6])::text[], \(p[7])::timestamptz[], \(p[8])::timestamptz[], \(p[9])::timestamptz[],
            \(p[10])::uuid[], \(p[11])::text[], \(p[12])::text[], \(p[13])::text[], \(p[14])::text[], \(p[15])::text[],
            \(p[16])::timestamptz[])
            AS c(id, program_id, customer_id, channel, from_address, to_address, status, arrived_at, answered_at,
            ended_at, rep_id, reason, external_id, requested_rep, language, from_problem, created_at)
            RETURNING id, program_id, customer_id, arrived_at, channel, language, requested_rep, status, rep_id),
            recorded AS (INSERT INTO contact_events (id, program_id, event_id, contact_id, type, at, rep_id, answer,
            received_at)
            SELECT * FROM unnest(\(p[17])::uuid[], \(p[18])::uuid[], \(p[19])::text[], \(p[20])::uuid[],
            \(p[21])::text[], \(p[22])::timestamptz[], \(p[23])::uuid[], \(p[24])::text[], \(p[25])::timestamptz[]))
            """
    }

    /// What a group wrote that others hear about once it is committed.
    private struct Changes: Sendable {
        var presenceChanged: [UUID] = []
        /// Programs with new events, in the order they first came.
        var programs: [UUID] = []
        /// Email contacts that arrived: their programs and addresses.
        var emails: [(program: UUID, address: String)] = []
    }

    /// A contact as the group reads, folds and writes it.
    private struct ContactState {
        let id: UUID
        let programID: UUID
        let externalID: String
        var customerID: UUID?
        var channel: Contact.Channel
        var status: ContactStatus
        var arrivedAt: Date
        var answeredAt: Date?
        var endedAt: Date?
        var repID: UUID?
        var requestedRep: String?
        var language: String?
        var events: [ContactTimeline.Event]
        /// Set on a contact this group makes.
        var arrival: Arrival?

        func differs(from other: ContactState) -> Bool {
            customerID != other.customerID || status != other.status || answeredAt != other.answeredAt
                || endedAt != other.endedAt || repID != other.repID || requestedRep != other.requestedRep
                || language != other.language
        }
    }

    /// What only an `arrived` event says about a new contact.
    private struct Arrival {
        var fromAddress: String
        var fromProblem: String?
        var toAddress: String
        var reason: String?
        var createdAt: Date
    }

    /// A new event to store, and what it does to its rep afterwards.
    private struct Stored {
        let item: Item
        let contactID: UUID
        let answer: ContactEventAnswer
        /// The rep it follows (the event's, or the contact's after it) and whether the contact is over after it.
        let rep: UUID?
    }

    private struct Group {
        let items: [Item]
        let sql: any SQLDatabase
        /// First answers of events stored before, by program and event id.
        var answered: [EventKey: ContactEventAnswer]
        /// The contacts the events name, as stored (locked on PostgreSQL) and as folded so far.
        let loaded: [ContactKey: ContactState]
        var contacts: [ContactKey: ContactState]
        /// A new contact's addresses, or why they are refused, by item.
        let arrivals: [Int: Result<Arrival, ValidationFailure>]
        let callers: Callers
        /// Active members of the programs, of the reps the events name.
        let members: Set<Member>
        var stored: [Stored] = []

        struct Member: Hashable { let user: UUID, program: UUID }

        init(_ items: [Item], on sql: any SQLDatabase) async throws {
            self.items = items
            self.sql = sql
            let programIDs = Array(Set(items.map { $0.program.id! }))
            answered = try await Self.answers(items, programs: programIDs, on: sql)
            loaded = try await Self.contacts(items, programs: programIDs, on: sql)
            contacts = loaded
            var arrivals: [Int: Result<Arrival, ValidationFailure>] = [:]
            for (index, item) in items.enumerated() where item.event.type == .arrived {
                guard loaded[item.contactKey] == nil else { continue }
                arrivals[index] = Result { () throws(ValidationFailure) in try Self.arrival(item) }
            }
            self.arrivals = arrivals
            callers = try await Callers(items: items, arrivals: arrivals, programs: programIDs, on: sql)
            members = try await Self.members(named: items, on: sql)
        }

        /// Folds every event in the order it came; one that does not fit changes nothing.
        mutating func fold() -> [Outcome] {
            var outcomes: [Outcome] = []
            for (index, item) in items.enumerated() {
                if let first = answered[item.eventKey] {
                    outcomes.append(.success((first, false)))
                    continue
                }
                do {
                    let answer = try fold(item, index: index)
                    answered[item.eventKey] = answer
                    outcomes.append(.success((answer, true)))
                } catch {
                    outcomes.append(.failure(error))
                }
            }
            return outcomes
        }

        private mutating func fold(_ item: Item, index: Int) throws -> ContactEventAnswer {
            let event = item.event
            var candidates: [UUID]? = nil
            var contact: ContactState
            if let known = contacts[item.contactKey] {
                contact = known
                // What an IVR learned after the call arrived goes on the contact when it has none yet; a keyed
                // number links the caller when it names exactly one customer.
                if contact.requestedRep == nil { contact.requestedRep = item.checked.requestedRep }
                if contact.language == nil { contact.language = item.checked.language }
                if contact.customerID == nil, let number = item.checked.customerNumber {
                    let ids = callers.numbered(number, program: contact.programID)
                    if ids.count == 1 { contact.customerID = ids[0] }
                }
            } else {
                guard event.type == .arrived, let arrival = arrivals[index] else {
                    throw ValidationFailure(
                        field: "externalContactId",
                        "no contact with this id has arrived in program \(item.program.code); send its arrived event first"
                    )
                }
                contact = ContactState(
                    id: UUID(timeOrderedAt: item.now), programID: item.program.id!, externalID: item.checked.externalID,
                    customerID: nil,
                    channel: event.channel, status: .queued, arrivedAt: event.at, repID: nil,
                    requestedRep: item.checked.requestedRep, language: item.checked.language, events: [],
                    arrival: try arrival.get())
                let matches = callers.calling(
                    contact.arrival!, channel: event.channel, customerNumber: item.checked.customerNumber,
                    program: contact.programID)
                if matches.count == 1 { contact.customerID = matches[0] }
                if matches.count > 1 { candidates = matches.sorted() }  // UUIDs order as their text does
            }
            if let rep = event.repId, !members.contains(Member(user: rep, program: contact.programID)) {
                throw ValidationFailure(field: "repId", "is not an active member of this program")
            }
            let wasOver = contact.status.isOver
            contact.events.append(.init(event.type, at: event.at, repID: event.repId))
            let timeline = try ContactEvents.timeline(of: contact.events, arrivedAt: contact.arrivedAt)
            contact.status = timeline.status
            contact.answeredAt = timeline.answeredAt
            contact.endedAt = timeline.endedAt
            if let rep = timeline.repID { contact.repID = rep }
            contacts[item.contactKey] = contact
            let answer = ContactEventAnswer(
                eventId: item.checked.eventID, result: .accepted, contactId: contact.id, customerId: contact.customerID,
                candidates: candidates)
            // A second end of a contact that was over already moves nobody (its rep may be on another by now).
            let rep = event.type == .ended && wasOver ? nil : event.repId ?? contact.repID
            stored.append(Stored(item: item, contactID: contact.id, answer: answer, rep: rep))
            return answer
        }

        /// Writes what the events changed on contacts stored before, withdraws the offers of contacts that are over,
        /// and moves the reps the events name to busy or wrap-up (by their programs' settings, from `settings`).
        /// The new contacts and events come after (`storeNew`).
        func storeChanges(now: Date, settings: RoutingSettingsCache) async throws -> Changes {
            var changes = Changes()
            guard !stored.isEmpty else { return changes }
            try await update(
                contacts.compactMap { key, contact in
                    guard let before = loaded[key], contact.differs(from: before) else { return nil }
                    return contact
                }, now: now)
            let over = loaded.compactMap { key, before in
                contacts[key]!.status.isOver && !before.status.isOver ? before.id : nil
            }
            try await Offers.withdraw(contacts: over, now: now, on: sql)
            for event in stored where !changes.programs.contains(event.item.program.id!) {
                changes.programs.append(event.item.program.id!)
            }
            changes.presenceChanged = try await moveReps(now: now, settings: settings)
            changes.emails = made.filter { $0.channel == .email }.map { ($0.programID, $0.arrival!.fromAddress) }
            return changes
        }

        /// The new contacts and events to write on PostgreSQL with the routing pass's read (see `Router.Storing`).
        var storing: Router.Storing {
            Router.Storing(statement: StoreNewRouting.self) { try bind(to: &$0) }
        }

        /// Writes the new contacts and the new events (on PostgreSQL with routing, `storing` does instead).
        func storeNew(on db: any Database) async throws {
            guard !stored.isEmpty else { return }
            guard sql.isPostgreSQL else { return try await insertSQLite() }
            var bindings = PostgresBindings(capacity: 26)
            try bind(to: &bindings)
            _ = try await db.postgresRows(StoreNew.self, bindings)
        }

        /// Appends the parameters of `StoreNew` (see `inserts(from:)`).
        private func bind(to bindings: inout PostgresBindings) throws {
            let (made, answers) = (self.made, try self.answers())
            bindings.append(made.map(\.id))
            bindings.append(made.map(\.programID))
            bindings.append(nullable: made.map(\.customerID))
            bindings.append(made.map(\.channel.rawValue))
            bindings.append(made.map(\.arrival!.fromAddress))
            bindings.append(made.map(\.arrival!.toAddress))
            bindings.append(made.map(\.status.rawValue))
            bindings.append(made.map(\.arrivedAt))
            bindings.append(nullable: made.map(\.answeredAt))
            bindings.append(nullable: made.map(\.endedAt))
            bindings.append(nullable: made.map(\.repID))
            bindings.append(nullable: made.map(\.arrival!.reason))
            bindings.append(made.map(\.externalID))
            bindings.append(nullable: made.map(\.requestedRep))
            bindings.append(nullable: made.map(\.language))
            bindings.append(nullable: made.map(\.arrival!.fromProblem))
            bindings.append(made.map(\.arrival!.createdAt))
            bindings.append(stored.map { UUID(timeOrderedAt: $0.item.now) })
            bindings.append(stored.map { $0.item.program.id! })
            bindings.append(stored.map(\.item.checked.eventID))
            bindings.append(stored.map(\.contactID))
            bindings.append(stored.map(\.item.event.type.rawValue))
            bindings.append(stored.map(\.item.event.at))
            bindings.append(nullable: stored.map(\.item.event.repId))
            bindings.append(answers)
            bindings.append(stored.map(\.item.now))
        }

        /// The contacts this group makes.
        private var made: [ContactState] { contacts.values.filter { $0.arrival != nil } }

        /// The new events' answers, as stored.
        private func answers() throws -> [String] {
            let encoder = JSONEncoder.daymaker
            return try stored.map { String(decoding: try encoder.encode($0.answer), as: UTF8.self) }
        }

        /// `storeNew` on SQLite: the new contacts, then the events.
        private func insertSQLite() async throws {
            let (made, answers) = (self.made, try self.answers())
            if !made.isEmpty {
                var insert = sql.insert(into: Contact.schema).columns(
                    "id", "program_id", "customer_id", "channel", "direction", "from_address", "to_address", "status",
                    "arrived_at", "answered_at", "ended_at", "rep_id", "reason", "external_id", "requested_rep",
                    "language", "from_problem", "created_at", "updated_at")
                for contact in made {
                    let arrival = contact.arrival!
                    insert = insert.values([
                        contact.id, contact.programID, contact.customerID, contact.channel.rawValue,
                        Contact.Direction.inbound.rawValue, arrival.fromAddress, arrival.toAddress,
                        contact.status.rawValue, contact.arrivedAt, contact.answeredAt, contact.endedAt, contact.repID,
                        arrival.reason, contact.externalID, contact.requestedRep, contact.language,
                        arrival.fromProblem, arrival.createdAt, arrival.createdAt,
                    ])
                }
                try await insert.run()
            }
            var insert = sql.insert(into: ContactEventRecord.schema).columns(
                "id", "program_id", "event_id", "contact_id", "type", "at", "rep_id", "answer", "received_at")
            for (event, answer) in zip(stored, answers) {
                insert = insert.values([
                    UUID(timeOrderedAt: event.item.now), event.item.program.id!, event.item.checked.eventID,
                    event.contactID, event.item.event.type.rawValue, event.item.event.at, event.item.event.repId,
                    answer, event.item.now,
                ])
            }
            try await insert.run()
        }

        /// `value` bound, cast to `type` on PostgreSQL (which types a VALUES list by its values).
        private func cast(_ value: any Encodable & Sendable, _ type: String) -> SQLQueryString {
            sql.isPostgreSQL ? "\(bind: value)::\(unsafeRaw: type)" : "\(bind: value)"
        }

        /// Moves the reps the events name, in the order the events came (`Offers.presence(after:…)`: busy when a
        /// contact is answered, in wrap-up when the contact they were busy on ends or is transferred away). Their
        /// presence is read in one statement, and what changed is written in two. Returns the reps whose presence
        /// changed.
        private func moveReps(now: Date, settings cache: RoutingSettingsCache) async throws -> [UUID] {
            let moving = stored.filter { event in
                event.rep != nil && [.answered, .ended, .transferred].contains(event.item.event.type)
            }
            guard !moving.isEmpty else { return [] }
            var presence: [UUID: (state: Presence, until: Date?)] = [:]
            let rows = try await sql.select().column("user_id").column("state").column("until")
                .from(PresenceRecord.schema).where("user_id", .in, Array(Set(moving.map { $0.rep! }))).all()
            for row in rows {
                guard let state = Presence(rawValue: try row.decode(column: "state", as: String.self)) else { continue }
                presence[try row.decode(column: "user_id", as: UUID.self)] = (
                    state, try row.decode(column: "until", as: Date?.self)
                )
            }
            let settings = try await cache.settings(of: moving.map { $0.item.program.id! }, now: now, on: sql)
            var moves: [(rep: UUID, state: Presence, until: Date?)] = []
            for event in moving {
                let rep = event.rep!
                guard
                    let next = Offers.presence(
                        after: event.item.event.type, from: presence[rep]?.state,
                        wrapUp: settings[event.item.program.id!]?.wrapUp ?? 0, now: now)
                else { continue }
                if let current = presence[rep], current.state == next.state, current.until == next.until { continue }
                presence[rep] = next
                moves.append((rep, next.state, next.until))
            }
            guard !moves.isEmpty else { return [] }
            // In id order, so groups of two instances moving the same reps lock their rows in the same order.
            let reps = Set(moves.map(\.rep)).sorted()
            var upsert = sql.insert(into: PresenceRecord.schema).columns("id", "user_id", "state", "since", "until")
            for rep in reps {
                let (state, until) = presence[rep]!
                upsert = upsert.values([UUID(), rep, state.rawValue, now, until] as [any Encodable & Sendable])
            }
            try await upsert.onConflict(with: "user_id") {
                $0.set(excludedValueOf: "state").set(excludedValueOf: "since").set(excludedValueOf: "until")
            }.run()
            var log = sql.insert(into: PresenceChange.schema).columns("id", "user_id", "state", "at", "changed_by")
            for move in moves {
                log = log.values(
                    [UUID(), move.rep, move.state.rawValue, now, nil as UUID?] as [any Encodable & Sendable])
            }
            try await log.run()
            return reps
        }

        /// Writes what the events changed on contacts that were stored before, all in one statement.
        private func update(_ changed: [ContactState], now: Date) async throws {
            guard !changed.isEmpty else { return }
            let rows = changed.map { contact -> any SQLExpression in
                SQLGroupExpression(
                    SQLList([
                        cast(contact.id, "uuid"), cast(contact.customerID, "uuid"),
                        cast(contact.status.rawValue, "text"), cast(contact.answeredAt, "timestamptz"),
                        cast(contact.endedAt, "timestamptz"), cast(contact.repID, "uuid"),
                        cast(contact.requestedRep, "text"), cast(contact.language, "text"),
                    ]))
            }
            try await sql.raw(
                """
                WITH changed (id, customer_id, status, answered_at, ended_at, rep_id, requested_rep, language)
                AS (VALUES \(SQLList(rows)))
                UPDATE contacts SET customer_id = changed.customer_id, status = changed.status,
                answered_at = changed.answered_at, ended_at = changed.ended_at, rep_id = changed.rep_id,
                requested_rep = changed.requested_rep, language = changed.language, updated_at = \(bind: now)
                FROM changed WHERE contacts.id = changed.id
                """
            ).run()
        }

        /// A new contact's addresses: a caller id no phone-number rule accepts is kept as it came, with why it
        /// cannot be called back.
        private static func arrival(_ item: Item) throws(ValidationFailure) -> Arrival {
            let event = item.event
            let (from, problem) = try ContactEvents.from(
                event.from, channel: event.channel, country: item.program.country)
            let to = try Contact.normalizedAddress(
                event.to, channel: event.channel, country: item.program.country, field: "to")
            return Arrival(
                fromAddress: from, fromProblem: problem, toAddress: to, reason: item.checked.reason,
                createdAt: item.now)
        }

        private static func answers(
            _ items: [Item], programs: [UUID], on sql: any SQLDatabase
        ) async throws -> [EventKey: ContactEventAnswer] {
            let rows = try await sql.select().column("program_id").column("event_id").column("answer")
                .from(ContactEventRecord.schema).where("program_id", .in, programs)
                .where("event_id", .in, Array(Set(items.map(\.checked.eventID)))).all()
            var answers: [EventKey: ContactEventAnswer] = [:]
            let decoder = JSONDecoder.daymaker
            for row in rows {
                let key = EventKey(
                    program: try row.decode(column: "program_id", as: UUID.self),
                    eventID: try row.decode(column: "event_id", as: String.self))
                answers[key] = try decoder.decode(
                    ContactEventAnswer.self, from: Data(try row.decode(column: "answer", as: String.self).utf8))
            }
            return answers
        }

        /// The contacts the events name with their events, locked until the transaction ends on PostgreSQL
        /// (SQLite's write transaction already holds the whole file), so two groups' events of one contact fold
        /// one after the other. Rows are locked in id order, so two instances' groups never wait for each other
        /// in a circle.
        private static func contacts(
            _ items: [Item], programs: [UUID], on sql: any SQLDatabase
        ) async throws -> [ContactKey: ContactState] {
            let query = sql.select()
                .columns(
                    "id", "program_id", "external_id", "customer_id", "channel", "status", "arrived_at", "answered_at",
                    "ended_at", "rep_id", "requested_rep", "language"
                )
                .from(Contact.schema).where("program_id", .in, programs)
                .where("external_id", .in, Array(Set(items.map(\.checked.externalID)))).orderBy("id")
            // NO KEY UPDATE: the key stays; an offer being written for one of them (its foreign key takes KEY
            // SHARE) need not wait, nor make the group wait.
            if sql.isPostgreSQL { _ = query.lockingClause(SQLRaw("FOR NO KEY UPDATE")) }
            var contacts: [ContactKey: ContactState] = [:]
            for row in try await query.all() {
                let channel = try row.decode(column: "channel", as: String.self)
                let status = try row.decode(column: "status", as: String.self)
                let contact = ContactState(
                    id: try row.decode(column: "id", as: UUID.self),
                    programID: try row.decode(column: "program_id", as: UUID.self),
                    externalID: try row.decode(column: "external_id", as: String.self),
                    customerID: try row.decode(column: "customer_id", as: UUID?.self),
                    channel: Contact.Channel(rawValue: channel) ?? .voice,
                    status: ContactStatus(rawValue: status) ?? .queued,
                    arrivedAt: try row.decode(column: "arrived_at", as: Date.self),
                    answeredAt: try row.decode(column: "answered_at", as: Date?.self),
                    endedAt: try row.decode(column: "ended_at", as: Date?.self),
                    repID: try row.decode(column: "rep_id", as: UUID?.self),
                    requestedRep: try row.decode(column: "requested_rep", as: String?.self),
                    language: try row.decode(column: "language", as: String?.self), events: [], arrival: nil)
                contacts[ContactKey(program: contact.programID, externalID: contact.externalID)] = contact
            }
            guard !contacts.isEmpty else { return contacts }
            let keys = Dictionary(uniqueKeysWithValues: contacts.map { ($0.value.id, $0.key) })
            let rows = try await sql.select().column("contact_id").column("type").column("at").column("rep_id")
                .from(ContactEventRecord.schema).where("contact_id", .in, Array(keys.keys)).all()
            for row in rows {
                guard let key = keys[try row.decode(column: "contact_id", as: UUID.self)],
                    let type = ContactTimeline.EventType(rawValue: try row.decode(column: "type", as: String.self))
                else { continue }
                contacts[key]!.events.append(
                    .init(
                        type, at: try row.decode(column: "at", as: Date.self),
                        repID: try row.decode(column: "rep_id", as: UUID?.self)))
            }
            return contacts
        }

        /// Which of the reps the events name are active members of which programs.
        private static func members(named items: [Item], on sql: any SQLDatabase) async throws -> Set<Member> {
            let reps = Array(Set(items.compactMap(\.event.repId)))
            guard !reps.isEmpty else { return [] }
            let member = SQLColumn("user_id", table: ProgramMembership.schema)
            let rows = try await sql.select().column(member).column("program_id").column("active")
                .from(ProgramMembership.schema)
                .join(User.schema, on: SQLColumn("id", table: User.schema), .equal, member)
                .where(member, .in, SQLBind.group(reps)).all()
            var members: Set<Member> = []
            for row in rows where try row.decode(column: "active", as: Bool.self) {
                members.insert(
                    Member(
                        user: try row.decode(column: "user_id", as: UUID.self),
                        program: try row.decode(column: "program_id", as: UUID.self)))
            }
            return members
        }
    }

    /// Who the group's callers are: the customers their phone numbers, email addresses and handles name, and the
    /// customer numbers keyed in an IVR, each kind read in one statement.
    private struct Callers {
        private struct Key: Hashable { let program: UUID, value: String }
        private var phones: [Key: Set<UUID>] = [:]
        private var emails: [Key: Set<UUID>] = [:]
        private var handles: [Key: Set<UUID>] = [:]
        private var numbers: [Key: Set<UUID>] = [:]

        init(
            items: [Item], arrivals: [Int: Result<Arrival, ValidationFailure>], programs: [UUID],
            on sql: any SQLDatabase
        ) async throws {
            var phones: Set<String> = []
            var emails: Set<String> = []
            var handles: Set<String> = []
            for (index, result) in arrivals {
                guard case .success(let arrival) = result else { continue }
                switch items[index].event.channel {
                case .voice, .sms:
                    if arrival.fromAddress != "withheld", arrival.fromProblem == nil {
                        phones.insert(arrival.fromAddress)
                    }
                case .email: emails.insert(arrival.fromAddress)
                case .chat, .social: handles.insert(arrival.fromAddress)
                }
            }
            let numbers = Set(items.compactMap(\.checked.customerNumber).flatMap { [$0, $0.uppercased()] })
            self.phones = try await Self.read(CustomerPhone.schema, "e164", "customer_id", phones, programs, sql)
            self.emails = try await Self.read(CustomerEmail.schema, "address", "customer_id", emails, programs, sql)
            self.handles = try await Self.read(CustomerHandle.schema, "handle", "customer_id", handles, programs, sql)
            self.numbers = try await Self.read(Customer.schema, "customer_number", "id", numbers, programs, sql)
        }

        private static func read(
            _ table: String, _ column: String, _ customer: String, _ values: Set<String>, _ programs: [UUID],
            _ sql: any SQLDatabase
        ) async throws -> [Key: Set<UUID>] {
            guard !values.isEmpty else { return [:] }
            let rows = try await sql.select().column("program_id").column(column).column(customer).from(table)
                .where("program_id", .in, programs).where(column, .in, Array(values)).all()
            var found: [Key: Set<UUID>] = [:]
            for row in rows {
                let key = Key(
                    program: try row.decode(column: "program_id", as: UUID.self),
                    value: try row.decode(column: column, as: String.self))
                found[key, default: []].insert(try row.decode(column: customer, as: UUID.self))
            }
            return found
        }

        /// The customers a keyed customer number names (as keyed, or in capitals).
        func numbered(_ number: String, program: UUID) -> [UUID] {
            Array(
                (numbers[Key(program: program, value: number)] ?? []).union(
                    numbers[Key(program: program, value: number.uppercased())] ?? []))
        }

        /// Who a new contact's caller is: the customer number keyed in the IVR when it names someone, else the
        /// address they came from. Several mean a shared identifier (a household): the desk chooses, nobody is
        /// linked by guessing.
        func calling(_ arrival: Arrival, channel: Contact.Channel, customerNumber: String?, program: UUID) -> [UUID] {
            if let customerNumber {
                let ids = numbered(customerNumber, program: program)
                if !ids.isEmpty { return ids }
            }
            let key = Key(program: program, value: arrival.fromAddress)
            switch channel {
            case .voice, .sms:
                guard arrival.fromAddress != "withheld", arrival.fromProblem == nil else { return [] }
                return Array(phones[key] ?? [])
            case .email: return Array(emails[key] ?? [])
            case .chat, .social: return Array(handles[key] ?? [])
            }
        }
    }
}
