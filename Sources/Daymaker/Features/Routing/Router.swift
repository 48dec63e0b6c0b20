import DaymakerCore
import Fluent
import FluentPostgresDriver
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

    /// The most free reps of each program a pass reads at first, the longest idle: more than a pass usually offers
    /// contacts to. A decision they cannot vouch for (see `decide`) reads them all.
    static let freeLimit = 32

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
            try await routeWithin(programs: [programID], now: now, events: events, on: db.sqlDatabase, reading: db)
                .offers
        }
        events.routingTimings.record(ContinuousClock.now - asked, offers: offers.count)
        await events.publish(offers.map { .offerChanged($0.$rep.id) }, on: db)
        return offers
    }

    /// One pass over `programs`, a few statements whatever their number (on PostgreSQL one read and one write):
    /// see `plan`, then its offers written. Inside a transaction that wrote the programs' new contacts (or, with
    /// `storing`, whose read writes them) the offers commit with them. The programs it left (on PostgreSQL another
    /// instance's pass over them holds them, or a rep it chose was offered another program's contact meanwhile)
    /// are `unrouted`, for the caller to route once committed; `stored` is when `storing`'s contacts were written.
    /// A failure fails the caller's transaction.
    static func routeWithin(
        programs: [UUID], storing: Storing? = nil, now: Date, events: Events, on sql: any SQLDatabase,
        reading db: any Database
    ) async throws -> (offers: [Offer], unrouted: [UUID], stored: ContinuousClock.Instant?) {
        let plan = try await plan(programs: programs, storing: storing, now: now, events: events, on: sql, reading: db)
        let routed = plan.routed(written: try await write(plan, on: sql, reading: db))
        return (routed.offers, routed.unrouted, plan.stored)
    }

    /// A group of contact events' new contacts and events, written on PostgreSQL by the statement that reads the
    /// group's routing pass (one round trip for both): `statement` is `RoutingSQL.storingPass` with the group's
    /// inserts, `bind` appends their parameters to the pass's own (`$1`, `$2`). The new contacts still waiting
    /// are routed with the others; from then they wait while the pass decides and writes their offers (see
    /// `EventGroup`).
    struct Storing {
        let statement: any PreparedText.Type
        let bind: (inout PostgresBindings) throws -> Void
    }

    /// A pass's decisions, not written yet: the offers, the routing notes that changed, and the programs it left.
    struct Plan {
        var offers: [Offer] = []
        var notes: [(contact: UUID, note: String)] = []
        var unrouted: [UUID] = []
        /// When the read that wrote the contacts it was given to store came back (see `Storing`).
        var stored: ContinuousClock.Instant? = nil

        /// The pass once its offers are written, `written` the ids of those the partial unique indexes took: an
        /// offer they refused (its rep was offered another program's contact by another instance meanwhile) is
        /// left out, not an error, and its program is routed again.
        func routed(written: Set<UUID>) -> (offers: [Offer], unrouted: [UUID]) {
            let left = Set(offers.filter { !written.contains($0.id!) }.map(\.programID))
            return (offers.filter { written.contains($0.id!) }, unrouted + left.filter { !unrouted.contains($0) })
        }
    }

    /// What one pass over `programs` decides: the oldest waiting contacts of each that nobody holds an offer for
    /// (with `storing`, on PostgreSQL, the new contacts its read writes too), what the policy needs to know about
    /// them and about the programs' reps (the longest idle few of each, and all of them only when those few cannot
    /// vouch for a decision), then the policy program by program (a rep offered a contact of one is taken for the
    /// next). `reading` is where rosters the cache lacks are read; `events` holds the caches.
    static func plan(
        programs: [UUID], storing: Storing? = nil, now: Date, events: Events, on sql: any SQLDatabase,
        reading db: any Database
    ) async throws -> Plan {
        guard !programs.isEmpty else { return Plan() }
        let settings = try await events.routingSettings.settings(of: programs, now: now, on: sql)
        let read = try await Self.read(
            programs, storing: storing, settings: settings, now: now, roster: events.rosters, on: sql, reading: db)
        let stored = storing == nil ? nil : read.at
        let roster = read.roster
        // A program where nobody is available and free of offers needs nothing more.
        let routable = programs.filter { roster.reps[$0]?.contains(where: \.isFree) == true }
        let unrouted = routable.filter { !read.locked.contains($0) }
        let programs = routable.filter(read.locked.contains)
        let contacts = read.contacts.filter { programs.contains($0.key) }
        guard !contacts.isEmpty else { return Plan(unrouted: unrouted, stored: stored) }
        let waiting = try await Self.waiting(contacts, settings: settings, now: now, on: sql)
        // Where the reps the contacts name are, as read for the first decision (the second does not read them again).
        var named: [UUID: Whereabouts] = [:]
        var decided = try await decide(
            programs: programs, contacts: contacts, waiting: waiting, settings: settings, roster: roster, now: now,
            named: &named, on: sql)
        if !decided.vouched {
            let everyone = try await Self.reps(
                of: programs, limited: false, roster: events.rosters, now: now, on: sql, reading: db)
            decided = try await decide(
                programs: programs, contacts: contacts, waiting: waiting, settings: settings, roster: everyone,
                now: now, named: &named, on: sql)
        }
        return Plan(offers: decided.offers, notes: decided.notes, unrouted: unrouted, stored: stored)
    }

    /// Writes the plan's routing notes and offers, in one prepared statement on PostgreSQL; returns the ids of
    /// the offers written (see `Plan.routed`).
    private static func write(_ plan: Plan, on sql: any SQLDatabase, reading db: any Database) async throws -> Set<UUID>
    {
        let (offers, notes) = (plan.offers, plan.notes)
        guard !offers.isEmpty || !notes.isEmpty else { return [] }
        let rows: [any NamedColumns]
        if sql.isPostgreSQL {
            var bindings = PostgresBindings(capacity: 10)
            if !notes.isEmpty {
                bindings.append(notes.map(\.contact))
                bindings.append(notes.map(\.note))
            }
            bindings.append(offers.map { $0.id! })
            bindings.append(offers.map(\.programID))
            bindings.append(offers.map(\.$contact.id))
            bindings.append(offers.map(\.$rep.id))
            bindings.append(offers.map(\.reason.rawValue))
            bindings.append(nullable: offers.map(\.helpedAt))
            bindings.append(offers.map(\.offeredAt))
            bindings.append(offers.map(\.expiresAt))
            rows = try await run(
                notes.isEmpty ? RoutingSQL.WriteOffers.self : RoutingSQL.WriteNotesAndOffers.self, bindings, on: db)
        } else {
            for (contact, note) in notes {
                try await sql.update(Contact.schema).set("routing_note", to: note).where("id", .equal, contact).run()
            }
            guard !offers.isEmpty else { return [] }
            rows = try await insert(offers, on: sql).all().map(SQLColumns.init)
        }
        return try writtenIDs(rows)
    }

    /// The statement writing `offers`, those the partial unique indexes refuse left out; it returns the ids of
    /// those written (see `writtenIDs`).
    private static func insert(
        _ offers: [Offer], on sql: any SQLDatabase
    ) -> SQLReturningResultBuilder<SQLInsertBuilder> {
        var insert = sql.insert(into: Offer.schema).columns(
            "id", "program_id", "contact_id", "rep_id", "reason", "helped_at", "status", "offered_at", "expires_at")
        for offer in offers {
            insert = insert.values([
                offer.id, offer.programID, offer.$contact.id, offer.$rep.id, offer.reason.rawValue, offer.helpedAt,
                offer.status.rawValue, offer.offeredAt, offer.expiresAt,
            ])
        }
        return insert.ignoringConflicts().returning("id")
    }

    /// The ids an offers' write returned.
    static func writtenIDs(_ rows: [any NamedColumns]) throws -> Set<UUID> {
        Set(try rows.map { try $0.decode(column: "id", as: UUID.self) })
    }

    /// The policy's decisions for the programs' waiting contacts, one program after the other (a rep offered a
    /// contact of one is taken for the next): the offers to write, and the routing notes that changed.
    private struct Decisions {
        var offers: [Offer] = []
        var notes: [(contact: UUID, note: String)] = []
        /// False when the longest idle few read of a program (see `Roster.partial`) cannot vouch for a decision: a
        /// contact left waiting, or offered to anyone but one of them, might have gone to a rep not read. (A roster
        /// of every free rep always vouches.)
        var vouched = true
    }

    private static func decide(
        programs: [UUID], contacts: [UUID: [WaitingContact]], waiting: [UUID: [RoutingPolicy.Waiting]],
        settings: [UUID: RoutingSettings], roster: Roster, now: Date, named: inout [UUID: Whereabouts],
        on sql: any SQLDatabase
    ) async throws -> Decisions {
        var reps = roster.reps
        try await Self.named(by: waiting, known: contacts, read: &named, among: &reps, on: sql)
        var decisions = Decisions()
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
            if let read = roster.partial[program],
                routings.contains(where: { routing in
                    switch routing.decision {
                    case .queue: true
                    case .offer(let rep, .available): !read.contains(rep)
                    case .offer, .waitFor: false
                    }
                })
            {
                return Decisions(vouched: false)
            }
            let byID = Dictionary(uniqueKeysWithValues: programContacts.map { ($0.id, $0) })
            for routing in routings {
                guard let contact = byID[routing.contact] else { continue }
                let note = routing.notes.isEmpty ? nil : routing.notes.joined(separator: " ")
                if contact.routingNote != note, let note { decisions.notes.append((contact.id, note)) }
                guard case .offer(let rep, let reason) = routing.decision else { continue }
                let offer = Offer(
                    programID: program, contact: routing.contact, rep: rep, reason: reason, now: now,
                    timeout: settings.offerTimeout)
                offer.id = UUID(timeOrderedAt: now)
                decisions.offers.append(offer)
                taken.insert(rep)
            }
        }
        return decisions
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

        init(_ row: some NamedColumns) throws {
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
                    presence: presence, since: try row.decode(column: column + "_since", as: Date?.self),
                    holding: try row.decode(column: column + "_holding", as: Bool.self))
            }
            self.whereabouts = whereabouts
        }
    }

    /// Where a rep is: their presence and since when, and whether they hold an offer.
    private struct Whereabouts {
        let presence: Presence
        let since: Date?
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

    /// The programs' members as a pass sees them, by program.
    private struct Roster {
        var reps: [UUID: [RoutingPolicy.Rep]]
        /// The programs whose free reps were read only in part (`freeLimit` of them, the longest idle): the reps
        /// read. Another free member of such a program has been idle for less time than each of them.
        var partial: [UUID: Set<UUID>] = [:]
    }

    /// What a pass reads, in one statement on PostgreSQL (see `RoutingSQL.LockingPass`): the programs' members
    /// as the policy sees them (see `reps(of:limited:roster:now:on:reading:)`, the longest idle few), which of the
    /// programs this transaction holds (on PostgreSQL one advisory lock per program, held until the transaction
    /// ends, so instances take turns and none is waited for; all of them on SQLite, which has one writer), and the
    /// waiting contacts of those it holds where someone is free, by program, oldest first; `at` when the read
    /// came back (with `storing`, which it writes, on PostgreSQL).
    private static func read(
        _ programs: [UUID], storing: Storing?, settings: [UUID: RoutingSettings], now: Date, roster: RosterCache,
        on sql: any SQLDatabase, reading db: any Database
    ) async throws -> (
        roster: Roster, locked: Set<UUID>, contacts: [UUID: [WaitingContact]], at: ContinuousClock.Instant
    ) {
        // When each program's lookback for the rep who helped a customer last starts.
        func lookbacks(_ programs: [UUID]) -> [Date] {
            programs.map { now.addingTimeInterval(-(settings[$0]?.lookback ?? RoutingSettings.defaults.lookback)) }
        }
        guard sql.isPostgreSQL else {
            // SQLite's groups route the contacts they wrote (see `EventGroup`).
            guard storing == nil else {
                throw InternalFault("A routing pass's read asked to write contacts on SQLite.")
            }
            let roster = try await reps(of: programs, roster: roster, now: now, on: sql, reading: db)
            let routable = programs.filter { roster.reps[$0]?.contains(where: \.isFree) == true }
            guard !routable.isEmpty else { return (roster, Set(programs), [:], .now) }
            let rows = try await Self.read(
                sqlite: RoutingSQL.waitingContacts(.sqlite(programs: routable.count), limit: passLimit),
                programs: routable, lookbacks: lookbacks(routable), on: sql)
            return (
                roster, Set(programs),
                Dictionary(grouping: try rows.map { try WaitingContact(SQLColumns(row: $0)) }, by: { $0.programID }),
                .now
            )
        }
        let rows = try await Self.read(
            storing?.statement ?? RoutingSQL.LockingPass.self, programs: programs, lookbacks: lookbacks(programs),
            storing: storing?.bind, reading: db)
        let at = ContinuousClock.now
        guard let first = rows.first, let taken = try first.decode(column: "locked", as: [Bool]?.self) else {
            throw InternalFault("A routing pass's read came back without its locks.")
        }
        let locked = Set(programs.indices.filter { taken[$0] }.map { programs[$0] })
        // The free reps as three arrays of one length (aggregated from the same rows).
        let reps = try first.decode(column: "free_user_ids", as: [UUID]?.self) ?? []
        let freePrograms = try first.decode(column: "free_program_ids", as: [UUID]?.self) ?? []
        let since = try first.decode(column: "free_sinces", as: [Date]?.self) ?? []
        let free = reps.indices.map { FreeRep(program: freePrograms[$0], rep: reps[$0], since: since[$0]) }
        let contacts = try rows.dropFirst().map(WaitingContact.init)
        let members = try await Self.members(of: programs, roster: roster, now: now, on: db)
        return (
            Self.free(free, among: members, limited: true), locked, Dictionary(grouping: contacts, by: \.programID), at
        )
    }

    /// The programs' active members as the policy sees them: names and skills (from the roster cache), and which
    /// of them are free (available and holding no offer, of any program) and since when, read for all at once.
    /// Only the free are read, and (`limited`) only the longest idle `freeLimit` of each program: with hundreds of
    /// members most are busy, in wrap-up or idle for less time than the few a pass offers contacts to, and reading
    /// them all was most of a pass. The rest are offline here until `named(by:known:read:among:on:)` sets those the
    /// waiting contacts name.
    private static func reps(
        of programs: [UUID], limited: Bool = true, roster: RosterCache, now: Date, on sql: any SQLDatabase,
        reading db: any Database
    ) async throws -> Roster {
        let members = try await Self.members(of: programs, roster: roster, now: now, on: db)
        guard members.values.contains(where: { !$0.isEmpty }) else { return Roster(reps: members) }
        let rows: [any NamedColumns] =
            sql.isPostgreSQL
            ? try await read(
                limited ? RoutingSQL.FreeReps.self as any PreparedText.Type : RoutingSQL.AllFreeReps.self,
                programs: programs, reading: db)
            : try await read(
                sqlite: RoutingSQL.freeReps(.sqlite(programs: programs.count), limit: limited ? freeLimit : nil),
                programs: programs, on: sql
            ).map(SQLColumns.init)
        let free = try rows.map {
            FreeRep(
                program: try $0.decode(column: "free_program_id", as: UUID.self),
                rep: try $0.decode(column: "free_user_id", as: UUID.self),
                since: try $0.decode(column: "free_since", as: Date.self))
        }
        return Self.free(free, among: members, limited: limited)
    }

    /// A member available and holding no offer, and since when.
    private struct FreeRep {
        let program: UUID
        let rep: UUID
        let since: Date
    }

    /// The programs' active members, from the roster cache, by program; offline until `free` says otherwise.
    private static func members(
        of programs: [UUID], roster: RosterCache, now: Date, on db: any Database
    ) async throws -> [UUID: [RoutingPolicy.Rep]] {
        var members: [UUID: [RoutingPolicy.Rep]] = [:]
        for program in programs { members[program] = try await roster.members(of: program, now: now, on: db) }
        return members
    }

    /// The members as a pass sees them, given the free reps read (the longest idle few of each program when
    /// `limited`).
    private static func free(
        _ free: [FreeRep], among members: [UUID: [RoutingPolicy.Rep]], limited: Bool
    ) -> Roster {
        var reps = members
        var since: [UUID: Date] = [:]
        var read: [UUID: Set<UUID>] = [:]
        for free in free {
            since[free.rep] = free.since
            read[free.program, default: []].insert(free.rep)
        }
        for program in Array(reps.keys) {
            // Taken out while it changes: one look-up per member instead of three.
            var members = reps.removeValue(forKey: program)!
            for index in members.indices {
                guard let since = since[members[index].id] else { continue }
                members[index].presence = .available
                members[index].idleSince = since
            }
            reps[program] = members
        }
        return Roster(reps: reps, partial: limited ? read.filter { $1.count >= freeLimit } : [:])
    }

    /// Runs one of a pass's reads on PostgreSQL: the prepared `statement`, its parameters the programs, then when
    /// their lookbacks start, then what `storing` binds (see `Storing`).
    private static func read(
        _ statement: any PreparedText.Type, programs: [UUID], lookbacks: [Date] = [],
        storing: ((inout PostgresBindings) throws -> Void)? = nil, reading db: any Database
    ) async throws -> [PostgresRandomAccessRow] {
        var bindings = PostgresBindings(capacity: 28)
        bindings.append(programs)
        if !lookbacks.isEmpty { bindings.append(lookbacks) }
        try storing?(&bindings)
        return try await run(statement, bindings, on: db)
    }

    /// Runs one of a pass's prepared statements (see `RoutingSQL`) on PostgreSQL, in the transaction `db` is; its
    /// rows are decoded by PostgresNIO (see `NamedColumns`).
    private static func run(
        _ statement: any PreparedText.Type, _ bindings: PostgresBindings, on db: any Database
    ) async throws -> [PostgresRandomAccessRow] {
        try await db.postgresRows(statement, bindings).map { $0.makeRandomAccess() }
    }

    /// Runs one of a pass's reads on SQLite: `text`, its parameters numbered (the programs, then when their
    /// lookbacks start).
    private static func read(
        sqlite text: String, programs: [UUID], lookbacks: [Date] = [], on sql: any SQLDatabase
    ) async throws -> [any SQLRow] {
        let binds = programs.map { $0 as any Encodable & Sendable } + lookbacks.map { $0 as any Encodable & Sendable }
        return try await sql.raw("\(NumberedSQL(sql: text, binds: binds))").all()
    }

    /// Sets the presence of the reps the waiting contacts name (asked for, preferred, helped before) who are not
    /// free: whether they are coming back decides whether a contact waits for them. The preferred and last reps'
    /// came with the contacts; the others (reps asked for by name, rare) are read, unless in `read` (those read
    /// for the pass already), and added to it.
    private static func named(
        by waiting: [UUID: [RoutingPolicy.Waiting]], known contacts: [UUID: [WaitingContact]],
        read: inout [UUID: Whereabouts], among reps: inout [UUID: [RoutingPolicy.Rep]], on sql: any SQLDatabase
    ) async throws {
        var whereabouts = read
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
        // Where the named reps sit among the members (one look at each member), and which of them are not free.
        var places: [(program: UUID, index: Int)] = []
        var notFree: Set<UUID> = []
        if !named.isEmpty {
            for (program, members) in reps {
                for (index, rep) in members.enumerated() where named.contains(rep.id) {
                    places.append((program, index))
                    if !rep.isFree { notFree.insert(rep.id) }
                }
            }
        }
        let unknown = Array(notFree.subtracting(whereabouts.keys))
        if !unknown.isEmpty {
            let rows = try await sql.raw(
                """
                SELECT p.user_id, p.state, p.since, \(unsafeRaw: RoutingSQL.holdsOffer("p.user_id")) AS holding
                FROM rep_presence p
                WHERE p.user_id IN (\(binds: unknown))
                """
            ).all()
            for row in rows {
                guard let state = Presence(rawValue: try row.decode(column: "state", as: String.self)) else { continue }
                let rep = try row.decode(column: "user_id", as: UUID.self)
                whereabouts[rep] = Whereabouts(
                    presence: state, since: try row.decode(column: "since", as: Date.self),
                    holding: try row.decode(column: "holding", as: Bool.self))
                read[rep] = whereabouts[rep]
            }
        }
        for (program, index) in places {
            let rep = reps[program]![index].id
            guard notFree.contains(rep), let found = whereabouts[rep] else { continue }
            reps[program]![index].presence = found.presence
            reps[program]![index].idleSince = found.since
            reps[program]![index].hasOffer = found.holding
        }
    }

    /// What time passing does, on every instance each second: an offer nobody took goes to the next choice and
    /// its rep, if they were available, becomes `away` (they are not at their desk); a wrap-up that ran out makes
    /// its rep available; then every program is routed again (one where nobody is free costs two small queries;
    /// bounded waits end this way).
    static func tick(now: Date, events: Events, on db: any Database) async throws {
        // Most seconds nothing has run out: one read says so, and no write transaction waits its turn for nothing
        // (on SQLite claims and contact events wait behind each).
        let due = try await db.sqlDatabase.raw(
            """
            SELECT EXISTS (SELECT 1 FROM offers WHERE status = 'open' AND expires_at <= \(bind: now)) AS offers,
            EXISTS (SELECT 1 FROM rep_presence WHERE state = 'wrap-up' AND until <= \(bind: now)) AS wrap_ups
            """
        ).first()
        var (expired, away, rested): ([UUID], [UUID], [UUID]) = ([], [], [])
        if try due?.decode(column: "offers", as: Bool.self) != false {
            (expired, away) = try await db.writeTransaction { db in
                let offers = try await Offer.query(on: db)
                    .filter(\.$id ~~ claim("offers", where: "status = 'open' AND expires_at <= ", now, on: db)).all()
                var sentAway: [UUID] = []
                for offer in offers {
                    offer.status = .expired
                    offer.decidedAt = now
                    try await offer.save(on: db)
                    // An available rep who let an offer run out is not at their desk; one on a call (a transfer
                    // offered while busy) or in wrap-up stays as they are.
                    let state = try await PresenceRecord.query(on: db).filter(\.$user.$id == offer.$rep.id).first()?
                        .state
                    guard state == .available else { continue }
                    try await RepPresence.set(.away, userID: offer.$rep.id, by: nil, until: nil, now: now, on: db)
                    sentAway.append(offer.$rep.id)
                }
                return (offers.map(\.$rep.id), sentAway)
            }
        }
        if try due?.decode(column: "wrap_ups", as: Bool.self) != false {
            rested = try await db.writeTransaction { db in
                let records = try await PresenceRecord.query(on: db)
                    .filter(\.$id ~~ claim("rep_presence", where: "state = 'wrap-up' AND until <= ", now, on: db)).all()
                for record in records {
                    try await RepPresence.set(
                        .available, userID: record.$user.id, by: nil, until: nil, now: record.until ?? now, on: db)
                }
                return records.map(\.$user.id)
            }
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
