import DaymakerCore
import Fluent
import FluentSQL
import Foundation
import SQLKit

/// Offers waiting contacts to reps: gathers what `RoutingPolicy` needs for one program, asks it, and writes its
/// offers; and, as time passes, closes offers nobody took and ends wrap-ups.
///
/// A pass over a program runs in one write transaction (on PostgreSQL under a lock per program, so instances take
/// turns); the partial unique indexes on `offers` keep "one open offer per rep and per contact" whatever runs.
enum Router {
    /// The most waiting contacts one pass looks at, oldest first.
    static let passLimit = 200

    /// Whether the rep in `column` holds an open offer (of any program), from the partial unique index on them.
    private static func holdsOffer(_ column: String) -> String {
        "EXISTS (SELECT 1 FROM offers x WHERE x.rep_id = \(column) AND x.status = 'open')"
    }

    /// Waiting contacts, written as the partial index `idx_contacts_waiting` is (literals, not parameters), so
    /// both databases read only the waiting few among millions of contacts.
    private static let waiting = "status = 'queued' AND rep_id IS NULL"
    /// A waiting contact nobody holds an open offer for. SQLite looks each up in the partial index
    /// `idx_offers_open_contact_id`; PostgreSQL reads the open offers once into a hash (asked per contact, its
    /// planner took the other index on open offers and compared every open offer with every waiting contact).
    private static func notOffered(_ sql: any SQLDatabase) -> String {
        sql.isPostgreSQL
            ? "id NOT IN (SELECT contact_id FROM offers WHERE status = 'open')"
            : "NOT EXISTS (SELECT 1 FROM offers WHERE offers.contact_id = contacts.id AND offers.status = 'open')"
    }

    /// Routes the program's waiting contacts and tells the desks; returns the offers made. A pass running already
    /// is not repeated alongside: the caller shares the one queued behind it (see `RoutingPasses`).
    @discardableResult
    static func route(programID: UUID, now: Date, events: Events, on db: any Database) async throws -> [Offer] {
        let asked = ContinuousClock.now
        return try await events.routingPasses.route(programID) {
            try await pass(programID: programID, asked: asked, now: now, events: events, on: db)
        }
    }

    private static func pass(
        programID: UUID, asked: ContinuousClock.Instant, now: Date, events: Events, on db: any Database
    ) async throws -> [Offer] {
        // Nobody free (the usual answer on a tick): no write transaction, which on SQLite would take the writer's
        // turn.
        let reps =
            try await Self.reps(of: [programID], roster: events.rosters, now: now, on: db.sqlDatabase, reading: db)
            .reps[programID] ?? []
        guard reps.contains(where: \.isFree) else { return [] }
        // Another instance's pass over this program is running: it, or the next tick a second later, offers what
        // this one would have (waiting behind it would only hold a connection).
        let offers = try await db.writeTransaction { db in
            try await routeOnce([programID], events: events, now: now, on: db.sqlDatabase, reading: db).offers
        }
        events.routingTimings.record(ContinuousClock.now - asked, offers: offers.count)
        await events.publish(offers.map { .offerChanged($0.$rep.id) }, on: db)
        return offers
    }

    /// One pass over several programs inside a transaction that just wrote their new contacts (see `EventGroup`):
    /// the offers commit with them. The programs it left (another pass over them holds them, or a rep it chose was
    /// offered another program's contact meanwhile) are for the caller to route once committed. A failure fails
    /// the caller's transaction. `reading` is where rosters the cache lacks are read; `events` holds the caches.
    static func routeWithin(
        programs: [UUID], now: Date, events: Events, on sql: any SQLDatabase, reading db: any Database
    ) async throws -> (offers: [Offer], unrouted: [UUID]) {
        guard !programs.isEmpty else { return ([], []) }
        return try await routeOnce(programs, events: events, now: now, on: sql, reading: db)
    }

    /// One pass over `programs`, a few statements whatever their number: the oldest waiting contacts of each that
    /// nobody holds an offer for, what the policy needs to know about them and about the programs' reps, then the
    /// policy program by program (a rep offered a contact of one is taken for the next), and the offers written
    /// at once. On PostgreSQL a program another instance's pass holds is skipped (`unrouted`).
    private static func routeOnce(
        _ programs: [UUID], events: Events, now: Date, on sql: any SQLDatabase, reading db: any Database
    ) async throws -> (offers: [Offer], unrouted: [UUID]) {
        // The members first (and on PostgreSQL the programs' locks, in the same statement): a program where nobody
        // is available and free of offers needs nothing more.
        var (reps, locked) = try await Self.reps(
            of: programs, locking: true, roster: events.rosters, now: now, on: sql, reading: db)
        var programs = programs.filter { reps[$0]?.contains(where: \.isFree) == true }
        var unrouted = programs.filter { !locked.contains($0) }
        programs = programs.filter(locked.contains)
        guard !programs.isEmpty else { return ([], unrouted) }
        let settings = try await events.routingSettings.settings(of: programs, now: now, on: sql)
        // How far back each program looks for the rep who helped a customer last.
        let whens = programs.map { program in
            let lookback = settings[program]?.lookback ?? RoutingSettings.defaults.lookback
            return SQLQueryString("WHEN \(bind: program) THEN \(bind: now.addingTimeInterval(-lookback))")
        }
        let since: SQLQueryString = "CASE w.program_id \(SQLList(whens, separator: SQLRaw(" "))) END"
        let helped: SQLQueryString = """
            FROM contacts h WHERE h.customer_id = w.customer_id AND h.rep_id IS NOT NULL AND h.arrived_at >= \(since)
            ORDER BY h.arrived_at DESC LIMIT 1
            """
        // The oldest waiting contacts nobody holds an offer for, how many wait in all, offered or not (the partial
        // indexes on waiting contacts and open offers answer both), what is known of their customers (the
        // preferred rep; whether an active bereavement or safety note asks for the rep they trust; the rep who
        // helped them last, from the index on their contacts), whether a rep passed them over, and where the
        // preferred and last reps are: one statement, read as rows, not models (a pass runs for every group of
        // events). The rep who helped last is looked up once per contact (`MATERIALIZED`: folded into the outer
        // query, both databases looked them up again for each use). (Written as one read of the waiting contacts,
        // numbered by whether they are offered, SQLite 3.54 took the index on reps for several programs and walked
        // every contact without a rep: a second a pass.)
        let contacts = Dictionary(
            grouping: try await sql.raw(
                """
                WITH r AS MATERIALIZED (
                SELECT w.*, (SELECT h.rep_id \(helped)) AS helped_rep_id, (SELECT h.arrived_at \(helped)) AS helped_at
                FROM (SELECT o.id, o.program_id, o.customer_id, o.arrived_at, o.channel, o.language, o.requested_rep,
                o.routing_note, q.waiting, cu.preferred_rep_id, EXISTS (SELECT 1 FROM care_notes n
                WHERE n.customer_id = o.customer_id AND n.retired_at IS NULL AND n.kind IN ('bereavement', 'safety'))
                AS trusted, EXISTS (SELECT 1 FROM offers p WHERE p.contact_id = o.id AND p.status IN
                ('\(unsafeRaw: Offer.Status.declined.rawValue)', '\(unsafeRaw: Offer.Status.expired.rawValue)'))
                AS passed_over FROM (
                SELECT id, program_id, customer_id, arrived_at, channel, language, requested_rep, routing_note,
                ROW_NUMBER() OVER (PARTITION BY program_id ORDER BY arrived_at, id) AS place
                FROM contacts WHERE program_id IN (\(binds: programs)) AND \(unsafeRaw: waiting)
                AND \(unsafeRaw: notOffered(sql))) o
                JOIN (SELECT program_id, COUNT(*) AS waiting FROM contacts WHERE program_id IN (\(binds: programs))
                AND \(unsafeRaw: waiting) GROUP BY program_id) q ON q.program_id = o.program_id
                LEFT JOIN customers cu ON cu.id = o.customer_id
                WHERE o.place <= \(literal: passLimit)) w)
                SELECT r.*, hp.state AS helped_state, \(unsafeRaw: holdsOffer("r.helped_rep_id")) AS helped_holding,
                pp.state AS preferred_state, \(unsafeRaw: holdsOffer("r.preferred_rep_id")) AS preferred_holding
                FROM r LEFT JOIN rep_presence hp ON hp.user_id = r.helped_rep_id
                LEFT JOIN rep_presence pp ON pp.user_id = r.preferred_rep_id
                ORDER BY r.arrived_at, r.id
                """
            ).all().map(WaitingContact.init), by: \.programID)
        guard !contacts.isEmpty else { return ([], unrouted) }
        let waiting = try await Self.waiting(contacts, settings: settings, now: now, on: sql)
        try await Self.named(by: waiting, known: contacts, among: &reps, on: sql)
        var offers: [Offer] = []
        var taken: Set<UUID> = []
        for program in programs {
            guard let programContacts = contacts[program], let settings = settings[program] else { continue }
            let queue = RoutingPolicy.QueueState(
                waiting: programContacts.first?.waiting ?? 0,
                oldestWait: programContacts.first.map { now.timeIntervalSince($0.arrivedAt) } ?? 0)
            var programReps = reps[program] ?? []
            for index in programReps.indices where taken.contains(programReps[index].id) {
                programReps[index].hasOffer = true
            }
            let routings = RoutingPolicy(settings: settings).route(
                waiting[program] ?? [], reps: programReps, queue: queue, now: now)
            let byID = Dictionary(uniqueKeysWithValues: programContacts.map { ($0.id, $0) })
            for routing in routings {
                guard let contact = byID[routing.contact] else { continue }
                let note = routing.notes.isEmpty ? nil : routing.notes.joined(separator: " ")
                if contact.routingNote != note, let note {
                    try await sql.update(Contact.schema).set("routing_note", to: note)
                        .where("id", .equal, contact.id).run()
                }
                guard case .offer(let rep, let reason) = routing.decision else { continue }
                let offer = Offer(
                    programID: program, contact: routing.contact, rep: rep, reason: reason, now: now,
                    timeout: settings.offerTimeout)
                offer.id = UUID(timeOrderedAt: now)
                offers.append(offer)
                taken.insert(rep)
            }
        }
        guard !offers.isEmpty else { return ([], unrouted) }
        // An offer the partial unique indexes refuse (its rep was offered another program's contact by another
        // instance meanwhile) is left out, not an error: the caller routes its program again.
        var insert = sql.insert(into: Offer.schema).columns(
            "id", "program_id", "contact_id", "rep_id", "reason", "helped_at", "status", "offered_at", "expires_at")
        for offer in offers {
            insert = insert.values([
                offer.id, offer.programID, offer.$contact.id, offer.$rep.id, offer.reason.rawValue, offer.helpedAt,
                offer.status.rawValue, offer.offeredAt, offer.expiresAt,
            ])
        }
        let written = Set(
            try await insert.ignoringConflicts().returning("id").all().map {
                try $0.decode(column: "id", as: UUID.self)
            })
        let left = offers.filter { !written.contains($0.id!) }
        unrouted += Set(left.map(\.programID)).filter { !unrouted.contains($0) }
        return (offers.filter { written.contains($0.id!) }, unrouted)
    }

    /// A waiting contact as a pass reads it.
    private struct WaitingContact {
        let id: UUID
        let programID: UUID
        let customerId: UUID?
        let arrivedAt: Date
        let channel: String
        let language: String?
        let requestedRep: String?
        let routingNote: String?
        /// How many of the program's contacts wait, offered or not.
        let waiting: Int
        let preferredRep: UUID?
        let needsTrustedRep: Bool
        /// Whether a rep declined it or let its offer run out.
        let passedOver: Bool
        /// The rep who helped the customer last, within the program's lookback.
        let helpedLast: RoutingPolicy.Helped?
        /// Where the preferred rep and the rep who helped last are (their presence, and whether they hold an
        /// offer), by rep.
        let whereabouts: [UUID: Whereabouts]

        init(_ row: any SQLRow) throws {
            id = try row.decode(column: "id", as: UUID.self)
            programID = try row.decode(column: "program_id", as: UUID.self)
            customerId = try row.decode(column: "customer_id", as: UUID?.self)
            arrivedAt = try row.decode(column: "arrived_at", as: Date.self)
            channel = try row.decode(column: "channel", as: String.self)
            language = try row.decode(column: "language", as: String?.self)
            requestedRep = try row.decode(column: "requested_rep", as: String?.self)
            routingNote = try row.decode(column: "routing_note", as: String?.self)
            waiting = try row.decode(column: "waiting", as: Int.self)
            preferredRep = try row.decode(column: "preferred_rep_id", as: UUID?.self)
            needsTrustedRep = try row.decode(column: "trusted", as: Bool.self)
            passedOver = try row.decode(column: "passed_over", as: Bool.self)
            let helpedRep = try row.decode(column: "helped_rep_id", as: UUID?.self)
            helpedLast = try helpedRep.map {
                // Only the latest counts unless the customer asked for someone (see `waiting`).
                RoutingPolicy.Helped(rep: $0, last: try row.decode(column: "helped_at", as: Date.self), times: 1)
            }
            var whereabouts: [UUID: Whereabouts] = [:]
            for (rep, column) in [(preferredRep, "preferred"), (helpedRep, "helped")] {
                guard let rep else { continue }
                // A rep who never set a presence is offline.
                let state = try row.decode(column: column + "_state", as: String?.self) ?? Presence.offline.rawValue
                guard let presence = Presence(rawValue: state) else { continue }
                whereabouts[rep] = Whereabouts(
                    presence: presence, holding: try row.decode(column: column + "_holding", as: Bool.self))
            }
            self.whereabouts = whereabouts
        }
    }

    /// Where a rep is: their presence, and whether they hold an offer.
    private struct Whereabouts {
        let presence: Presence
        let holding: Bool
    }

    /// The waiting contacts as the policy sees them, by program: who they asked for, their preferred rep, who
    /// helped them before (within their program's lookback: the latest, read with the contact; every rep who did,
    /// how often, only for those who asked for someone, where it tells reps of one name apart), whether a
    /// bereavement or safety note asks for the rep they trust, and who passed them over (read only for those
    /// someone did).
    private static func waiting(
        _ contacts: [UUID: [WaitingContact]], settings: [UUID: RoutingSettings], now: Date, on sql: any SQLDatabase
    ) async throws -> [UUID: [RoutingPolicy.Waiting]] {
        var helped: [UUID: [RoutingPolicy.Helped]] = [:]
        // Customers belong to one program: one read per distinct lookback (usually one for all).
        let asking = contacts.mapValues { $0.filter { $0.requestedRep?.nilIfBlank != nil } }.filter { !$1.isEmpty }
        let byLookback = Dictionary(grouping: asking.keys, by: { settings[$0]?.lookback ?? 0 })
        for (lookback, programs) in byLookback {
            let customers = Set(programs.flatMap { asking[$0] ?? [] }.compactMap(\.customerId))
            helped.merge(
                try await Self.helped(Array(customers), since: now.addingTimeInterval(-lookback), on: sql),
                uniquingKeysWith: { first, _ in first })
        }
        var passed: [UUID: Set<UUID>] = [:]
        let passedOver = contacts.values.flatMap { $0.filter(\.passedOver).map(\.id) }
        if !passedOver.isEmpty {
            for row in try await sql.select().column("contact_id").column("rep_id").from(Offer.schema)
                .where("contact_id", .in, passedOver)
                .where("status", .in, [Offer.Status.declined.rawValue, Offer.Status.expired.rawValue]).all()
            {
                passed[try row.decode(column: "contact_id", as: UUID.self), default: []].insert(
                    try row.decode(column: "rep_id", as: UUID.self))
            }
        }
        return contacts.mapValues { contacts in
            contacts.map { contact in
                RoutingPolicy.Waiting(
                    id: contact.id, arrivedAt: contact.arrivedAt, channel: contact.channel,
                    language: contact.language, requestedRep: contact.requestedRep,
                    preferredRep: contact.preferredRep,
                    helpedBy: contact.customerId.flatMap { helped[$0] } ?? contact.helpedLast.map { [$0] } ?? [],
                    needsTrustedRep: contact.needsTrustedRep, passedOver: passed[contact.id] ?? [])
            }
        }
    }

    /// Who handled each customer's contacts since `start`: per rep, how many and the latest, counted by the
    /// database over the `(customer_id, arrived_at)` index rather than read contact by contact.
    private static func helped(
        _ customerIDs: [UUID], since start: Date, on sql: any SQLDatabase
    ) async throws -> [UUID: [RoutingPolicy.Helped]] {
        guard !customerIDs.isEmpty else { return [:] }
        let rows = try await sql.select()
            .column("customer_id").column("rep_id")
            .column(SQLFunction("MAX", args: SQLColumn("arrived_at")), as: "last")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "times")
            .from(Contact.schema)
            .where("customer_id", .in, customerIDs).where("rep_id", .isNot, SQLLiteral.null)
            .where("arrived_at", .greaterThanOrEqual, start)
            .groupBy("customer_id").groupBy("rep_id")
            .all()
        var helped: [UUID: [RoutingPolicy.Helped]] = [:]
        for row in rows {
            helped[try row.decode(column: "customer_id", as: UUID.self), default: []].append(
                RoutingPolicy.Helped(
                    rep: try row.decode(column: "rep_id", as: UUID.self),
                    last: try row.decode(column: "last", as: Date.self),
                    times: try row.decode(column: "times", as: Int.self)))
        }
        return helped
    }

    /// The programs' active members as the policy sees them: names and skills (from the roster cache), and which
    /// of them are free (available and holding no offer, of any program) and since when, read for all at once.
    /// Only the free are read: with hundreds of members most are busy or in wrap-up, and reading them all was most
    /// of a pass. The rest are offline here until `named(by:known:among:on:)` sets those the waiting contacts name.
    ///
    /// `locking` (in a write transaction): on PostgreSQL the same statement takes one advisory lock per program,
    /// held until the transaction ends, so instances take turns (none is waited for); `locked` names the programs
    /// this transaction holds (all of them on SQLite, which has one writer).
    private static func reps(
        of programs: [UUID], locking: Bool = false, roster: RosterCache, now: Date, on sql: any SQLDatabase,
        reading db: any Database
    ) async throws -> (reps: [UUID: [RoutingPolicy.Rep]], locked: Set<UUID>) {
        var reps: [UUID: [RoutingPolicy.Rep]] = [:]
        for program in programs { reps[program] = try await roster.members(of: program, now: now, on: db) }
        let locking = locking && sql.isPostgreSQL
        guard locking || reps.values.contains(where: { !$0.isEmpty }) else { return (reps, Set(programs)) }
        let free: SQLQueryString = """
            SELECT p.user_id, p.since FROM program_memberships m JOIN rep_presence p ON p.user_id = m.user_id
            WHERE m.program_id IN (\(binds: programs)) AND p.state = 'available'
            AND NOT \(unsafeRaw: holdsOffer("p.user_id"))
            """
        let rows: [any SQLRow]
        var locked = Set(programs)
        if locking {
            // One row at least (the locks'), then one per free rep; the locks are taken once (`MATERIALIZED`).
            let locks = programs.indices.map { index in
                SQLQueryString(
                    "pg_try_advisory_xact_lock(hashtextextended(\(bind: programs[index].uuidString), 19)) AS l\(unsafeRaw: String(index))"
                )
            }
            rows = try await sql.raw(
                "WITH locks AS MATERIALIZED (SELECT \(SQLList(locks))) SELECT * FROM locks LEFT JOIN (\(free)) p ON TRUE"
            ).all()
            if let row = rows.first {
                locked = Set(
                    try programs.indices.filter { try row.decode(column: "l\($0)", as: Bool.self) }.map {
                        programs[$0]
                    })
            }
        } else {
            rows = try await sql.raw(free).all()
        }
        var since: [UUID: Date] = [:]
        for row in rows {
            guard let rep = try row.decode(column: "user_id", as: UUID?.self) else { continue }
            since[rep] = try row.decode(column: "since", as: Date.self)
        }
        for program in programs {
            for index in reps[program]!.indices {
                guard let since = since[reps[program]![index].id] else { continue }
                reps[program]![index].presence = .available
                reps[program]![index].idleSince = since
            }
        }
        return (reps, locked)
    }

    /// Sets the presence of the reps the waiting contacts name (asked for, preferred, helped before) who are not
    /// free: whether they are coming back decides whether a contact waits for them. The preferred and last reps'
    /// came with the contacts; the others (reps asked for by name, rare) are read.
    private static func named(
        by waiting: [UUID: [RoutingPolicy.Waiting]], known contacts: [UUID: [WaitingContact]],
        among reps: inout [UUID: [RoutingPolicy.Rep]], on sql: any SQLDatabase
    ) async throws {
        var whereabouts: [UUID: Whereabouts] = [:]
        for contact in contacts.values.joined() { whereabouts.merge(contact.whereabouts) { first, _ in first } }
        var named: Set<UUID> = []
        for (program, contacts) in waiting {
            let members = reps[program] ?? []
            for contact in contacts {
                if let rep = contact.preferredRep { named.insert(rep) }
                for helped in contact.helpedBy { named.insert(helped.rep) }
                if let asked = contact.requestedRep?.trimmingCharacters(in: .whitespacesAndNewlines), !asked.isEmpty {
                    for rep in RoutingPolicy.reps(named: asked, among: members) { named.insert(rep.id) }
                }
            }
        }
        let members = Set(reps.values.flatMap { $0.filter { !$0.isFree }.map(\.id) })
        named.formIntersection(members)
        let unknown = Array(named.subtracting(whereabouts.keys))
        if !unknown.isEmpty {
            let rows = try await sql.raw(
                """
                SELECT p.user_id, p.state, \(unsafeRaw: holdsOffer("p.user_id")) AS holding FROM rep_presence p
                WHERE p.user_id IN (\(binds: unknown))
                """
            ).all()
            for row in rows {
                guard let state = Presence(rawValue: try row.decode(column: "state", as: String.self)) else { continue }
                whereabouts[try row.decode(column: "user_id", as: UUID.self)] = Whereabouts(
                    presence: state, holding: try row.decode(column: "holding", as: Bool.self))
            }
        }
        for program in Array(reps.keys) {
            for index in reps[program]!.indices {
                let rep = reps[program]![index].id
                guard named.contains(rep), let found = whereabouts[rep] else { continue }
                reps[program]![index].presence = found.presence
                reps[program]![index].hasOffer = found.holding
            }
        }
    }

    /// What time passing does, on every instance each second: an offer nobody took goes to the next choice and
    /// its rep, if they were available, becomes `away` (they are not at their desk); a wrap-up that ran out makes its rep available; then
    /// every program is routed again (one where nobody is free costs two small queries; bounded waits end this way).
    static func tick(now: Date, events: Events, on db: any Database) async throws {
        let (expired, away) = try await db.writeTransaction { db in
            let offers = try await Offer.query(on: db)
                .filter(\.$id ~~ claim("offers", where: "status = 'open' AND expires_at <= ", now, on: db)).all()
            var sentAway: [UUID] = []
            for offer in offers {
                offer.status = .expired
                offer.decidedAt = now
                try await offer.save(on: db)
                // An available rep who let an offer run out is not at their desk; one on a call (a transfer
                // offered while busy) or in wrap-up stays as they are.
                let state = try await PresenceRecord.query(on: db).filter(\.$user.$id == offer.$rep.id).first()?.state
                guard state == .available else { continue }
                try await RepPresence.set(.away, userID: offer.$rep.id, by: nil, until: nil, now: now, on: db)
                sentAway.append(offer.$rep.id)
            }
            return (offers.map(\.$rep.id), sentAway)
        }
        let rested = try await db.writeTransaction { db in
            let records = try await PresenceRecord.query(on: db)
                .filter(\.$id ~~ claim("rep_presence", where: "state = 'wrap-up' AND until <= ", now, on: db)).all()
            for record in records {
                try await RepPresence.set(
                    .available, userID: record.$user.id, by: nil, until: nil, now: record.until ?? now, on: db)
            }
            return records.map(\.$user.id)
        }
        await events.publish(
            expired.map(DomainEvent.offerChanged) + (away + rested).map(DomainEvent.presenceChanged), on: db)
        let programs = try await Program.query(on: db).all(\.$id)
        for program in programs { try await route(programID: program, now: now, events: events, on: db) }
    }

    /// The ids of the rows a condition names that no other instance is working on (PostgreSQL skips rows another
    /// transaction has locked; SQLite has one writer).
    private static func claim(
        _ table: String, where condition: String, _ now: Date, on db: any Database
    )
        async throws -> [UUID]
    {
        let sql = try db.sqlDatabase
        let lock = sql.isPostgreSQL ? " FOR UPDATE SKIP LOCKED" : ""
        return try await sql.raw(
            "SELECT id FROM \(unsafeRaw: table) WHERE \(unsafeRaw: condition)\(bind: now)\(unsafeRaw: lock)"
        ).all().map { try $0.decode(column: "id", as: UUID.self) }
    }
}

extension RoutingPolicy.Rep {
    /// Available and holding no offer: someone a pass could offer a contact to.
    fileprivate var isFree: Bool { presence == .available && !hasOffer }
}
