import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Synchronization

/// Insights' roll-ups: each program's contacts counted (``ContactCounters``) per day and hour in the program's
/// zone, by channel (`insight_hours`), by rep and channel (`insight_rep_hours`), and the root causes reps named in
/// wrap-up by rep (`insight_cause_hours`); the dashboard reads the latter two summed per day (`insight_reps`,
/// `insight_causes`), rebuilt whenever hours of their day are counted. Triggers on `contacts` mark the UTC hour
/// of every contact inserted, changed or deleted (`insight_marks`), and every contact with a customer and a reason
/// added, changed or removed (`insight_repeats`: it may make the customer's earlier contacts within 7 days not
/// resolved the first time, or resolved again); `refresh` marks those earlier contacts' hours too, then counts
/// every marked hour again from the contacts: a change costs a count of its hour, however busy its day.
/// A late event or a contact moved to another rep is therefore counted where it belongs, and the roll-ups always
/// equal a count from the contacts themselves once refreshed.
enum InsightRollups {
    static let hours = "insight_hours"
    static let reps = "insight_reps"
    static let causes = "insight_causes"
    static let repHours = "insight_rep_hours"
    static let causeHours = "insight_cause_hours"
    static let marks = "insight_marks"
    static let repeats = "insight_repeats"

    /// The most marked hours one `refresh` reads.
    static let refreshLimit = 72

    /// Counts again the hours marked, oldest first, up to `limit` marked hours per call; returns how many it read.
    ///
    /// A program's marks are taken first, in a statement of their own: taking a mark waits for a write still
    /// holding it (see ``UpdateInsightMarksTaken``), so the count that follows sees that write. Then its hours are
    /// counted and the marks dropped — only those no write touched since they were taken: an hour written
    /// meanwhile stays marked and is counted again next time. A count that fails leaves its marks taken; the next
    /// refresh takes them again.
    ///
    /// With `pacing` (the server's loop), an hour is counted again only once the time its last count took, nine
    /// times over, has passed: counting a busy hour (this one, under a steady stream of contacts) takes at most a
    /// tenth of the time, and its numbers are as old as ten counts of it at most. Marks not due yet are left for
    /// later.
    @discardableResult
    static func refresh(
        limit: Int = refreshLimit, pacing: Pacing? = nil, events: Events, on db: any Database
    ) async throws -> Int {
        try await markRepeated(on: db)
        let read = try await db.sqlDatabase.raw(
            "SELECT program_id, hour FROM insight_marks ORDER BY hour, program_id LIMIT \(bind: limit)"
        ).all().map {
            Pacing.Mark(
                program: try $0.decode(column: "program_id", as: UUID.self),
                hour: try $0.decode(column: "hour", as: Int.self))
        }
        let marked = pacing?.due(read) ?? read
        guard !marked.isEmpty else { return 0 }
        let byProgram = Dictionary(grouping: marked, by: \.program)
        let programs = Dictionary(
            try await Program.query(on: db).filter(\.$id ~~ Array(byProgram.keys)).all().map {
                (try $0.requireID(), $0)
            },
            uniquingKeysWith: { first, _ in first })
        let settings = try await RoutingSettings.load(programs: Array(byProgram.keys), on: db.sqlDatabase)
        for (programID, keys) in byProgram {
            let started = ContinuousClock.now
            let utcHours = keys.map(\.hour)
            let taken = Int64.random(in: 1...Int64.max)
            try await events.writeTransaction(on: db) { sql, _ in
                try await sql.update(marks).set("taken", to: taken).where("program_id", .equal, programID)
                    .where("hour", .in, utcHours).run()
            }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = programs[programID]?.zone ?? .gmt
            let days = programs[programID] == nil ? [] : localHours(touching: utcHours, calendar)
            let rules = (settings[programID] ?? .defaults).insightRules
            let zoned = calendar
            // A local day's hours per transaction: on SQLite the writer is free again between days (claims and
            // contact events wait for it), and a failure keeps the marks taken, for the next round.
            for (day, hours) in days {
                if try db.sqlDatabase.isPostgreSQL {
                    try await events.writeTransaction(on: db) { sql, _ in
                        // One count of a program at a time across instances, read and written under one lock: two
                        // counting an hour would both write its rows, or write an older count over a newer one.
                        try await sql.raw(
                            "SELECT pg_advisory_xact_lock(hashtextextended(\(bind: programID.uuidString), 22))"
                        ).run()
                        let stored = try await Self.stored(programID, day: day, hours: hours, on: sql)
                        let counts = try await count(
                            programID, day: day, hours: hours, calendar: zoned, rules: rules, on: sql)
                        try await store(counts, over: stored, programID, day: day, on: sql)
                    }
                } else {
                    // SQLite's one instance counts alone: the hours and their rows are read with the writer free
                    // (claims and contact events wait for it), on a connection of their own, then what changed is
                    // written on the writer's.
                    let (stored, counts) = try await events.backgroundRead(on: db) { sql in
                        (
                            try await Self.stored(programID, day: day, hours: hours, on: sql),
                            try await count(programID, day: day, hours: hours, calendar: zoned, rules: rules, on: sql)
                        )
                    }
                    try await events.writeTransaction(on: db) { sql, _ in
                        try await store(counts, over: stored, programID, day: day, on: sql)
                    }
                }
            }
            try await events.writeTransaction(on: db) { sql, _ in
                try await sql.delete(from: marks).where("program_id", .equal, programID)
                    .where("hour", .in, utcHours).where("taken", .equal, taken).run()
            }
            pacing?.counted(keys, in: ContinuousClock.now - started)
        }
        return marked.count
    }

    /// When each marked hour may be counted again (see `refresh`).
    final class Pacing: Sendable {
        struct Mark: Hashable, Sendable {
            let program: UUID
            /// The UTC hour (seconds since 1970 ÷ 3600).
            let hour: Int
        }

        private let next = Mutex<[Mark: ContinuousClock.Instant]>([:])

        /// The marks whose time has come.
        func due(_ marks: [Mark]) -> [Mark] {
            let now = ContinuousClock.now
            return next.withLock { next in marks.filter { next[$0].map { $0 <= now } ?? true } }
        }

        /// The marks were counted just now, in `duration`.
        func counted(_ marks: [Mark], in duration: Duration) {
            let now = ContinuousClock.now
            next.withLock { next in
                next = next.filter { $0.value > now }
                for mark in marks { next[mark] = now + duration * 9 }
            }
        }
    }

    /// Marks the hours of the contacts that a contact with a customer and a reason (noted by the triggers) follows
    /// within 7 days: their first-contact resolution may have changed. One statement for all that were noted; after
    /// a bulk import (more than `bulkAbove` noted, more than a day's work brings) every hour of those programs is
    /// marked instead, one pass over their contacts rather than a look at each customer's week.
    static func markRepeated(bulkAbove: Int = 50_000, on db: any Database) async throws {
        let noted =
            try await db.sqlDatabase.raw(
                "SELECT COUNT(*) AS noted FROM (SELECT 1 FROM insight_repeats LIMIT \(bind: bulkAbove + 1)) n"
            ).first()?.decode(column: "noted", as: Int.self) ?? 0
        guard noted > 0 else { return }
        if noted > bulkAbove { return try await markEveryHour(on: db) }
        try await db.writeTransaction { db in
            let sql = try db.sqlDatabase
            let postgres = sql.isPostgreSQL
            // PostgreSQL takes the rows it reads (another instance, or a trigger firing meanwhile, keeps its own);
            // SQLite has one writer, so nothing is noted between the read and the delete.
            let noted: SQLQueryString =
                postgres
                ? "WITH noted AS (DELETE FROM insight_repeats RETURNING program_id, customer_id, arrived_at) "
                : ""
            let source: SQLQueryString = postgres ? "noted" : "insight_repeats"
            // SQLite (3.54, with the statistics of 10M contacts) would walk the program's whole week of contacts
            // for each noted contact through (program_id, arrived_at): eight minutes for 900 noted, holding the
            // writer. The unary + leaves it the customer's index, a few rows each (8 ms for the same 900).
            let sameProgram: SQLQueryString =
                postgres ? "c.program_id = r.program_id" : "+c.program_id = r.program_id"
            let weekBefore: SQLQueryString =
                postgres
                ? "r.arrived_at - interval '7 days'"
                : "r.arrived_at - \(unsafeRaw: String(Int(InsightRules.repeatWindow)))"
            // On PostgreSQL another instance may be counting these hours: a mark it took is given back, as a
            // contact's write gives it back. SQLite's one instance counts only after this, in the same round.
            try await sql.raw(
                """
                \(noted)\(unsafeRaw: postgres ? "INSERT" : "INSERT OR IGNORE") INTO insight_marks (program_id, hour)
                SELECT DISTINCT c.program_id, \(utcPeriod(3_600, sql, "c.arrived_at")) FROM \(source) r
                JOIN contacts c ON c.customer_id = r.customer_id AND \(sameProgram)
                AND c.arrived_at >= \(weekBefore) AND c.arrived_at < r.arrived_at
                \(unsafeRaw: postgres ? UpdateInsightsCountedByHour.marks.conflict : "")
                """
            ).run()
            if !postgres { try await sql.raw("DELETE FROM insight_repeats").run() }
        }
    }

    /// After a bulk import: marks every hour of the programs noted, and drops their notes.
    ///
    /// The hours are read first, outside any transaction (seconds for millions of contacts; on SQLite claims and
    /// contact events would wait for the writer meanwhile), then marked in one short write that drops the notes.
    /// Every hour with a contact of those programs is marked then: those read, and those of contacts written since
    /// (their triggers marked them); so their notes can go, those written since too. The marks become visible with
    /// the notes gone, so a count of those hours (on PostgreSQL, another instance's) sees every contact noted; a
    /// mark another instance has taken is given back, as a contact's write gives it back.
    private static func markEveryHour(on db: any Database) async throws {
        let sql = try db.sqlDatabase
        let notes = try await NotesRead(on: sql)
        var read: [(program: UUID, hour: Int)] = []
        for program in notes.programs {
            read += try await sql.raw(
                "SELECT DISTINCT \(utcPeriod(3_600, sql)) AS hour FROM contacts WHERE program_id = \(bind: program)"
            ).all().map { (program, try $0.decode(column: "hour", as: Int.self)) }
        }
        try await mark(read, droppingTheNotesOf: notes, on: db)
    }

    /// What a bulk pass read of the notes: the programs noted, and on SQLite the last note's rowid (rowids only
    /// grow, and only the insight loop deletes notes), so a note of another program written after the read is found
    /// among the few rows after it rather than by reading millions of notes again.
    struct NotesRead: Sendable {
        let programs: Set<UUID>
        let lastRow: Int?

        init(on sql: any SQLDatabase) async throws {
            // The last rowid first: a note written between the two reads is then among the programs or after it.
            lastRow =
                sql.isPostgreSQL
                ? nil
                : try await sql.raw("SELECT MAX(rowid) AS last FROM insight_repeats").first()?
                    .decode(column: "last", as: Int?.self)
            programs = Set(
                try await sql.raw("SELECT DISTINCT program_id FROM insight_repeats").all()
                    .map { try $0.decode(column: "program_id", as: UUID.self) })
        }
    }

    /// Marks `hours` and drops the notes of the programs `notes` names. On SQLite, when no other program was noted
    /// since the notes were read (its one writer is held, so nobody notes meanwhile), the table is emptied at once:
    /// deleting notes one by one takes a second for a million.
    static func mark(
        _ hours: [(program: UUID, hour: Int)], droppingTheNotesOf notes: NotesRead, on db: any Database
    ) async throws {
        guard !notes.programs.isEmpty else { return }
        try await db.writeTransaction { db in
            let sql = try db.sqlDatabase
            _ = try await hours.chunkedLookup { chunk -> [Void] in
                let rows = chunk.map { SQLQueryString("(\(bind: $0.program), \(bind: $0.hour))") }
                try await sql.raw(
                    """
                    INSERT INTO insight_marks (program_id, hour) VALUES \(SQLList(rows, separator: SQLRaw(", ")))
                    \(unsafeRaw: UpdateInsightsCountedByHour.marks.conflict)
                    """
                ).run()
                return []
            }
            let programs = Array(notes.programs)
            if let last = notes.lastRow,
                try await sql.raw(
                    """
                    SELECT 1 AS newer FROM insight_repeats WHERE rowid > \(bind: last)
                    AND program_id NOT IN (\(binds: programs)) LIMIT 1
                    """
                ).first() == nil
            {
                try await sql.raw("DELETE FROM insight_repeats").run()
            } else {
                try await sql.raw("DELETE FROM insight_repeats WHERE program_id IN (\(binds: programs))").run()
            }
        }
    }

    /// Marks every hour of the program's contacts to be counted again (its rules for counting changed).
    static func markAll(programID: UUID, on sql: any SQLDatabase) async throws {
        // Marks being counted with the rules before are given back: their hours are counted again too.
        try await sql.update(marks).set("taken", to: SQLLiteral.null).where("program_id", .equal, programID).run()
        let hour = utcPeriod(3_600, sql)
        try await sql.raw(
            """
            INSERT INTO insight_marks (program_id, hour) SELECT DISTINCT program_id, \(hour) FROM contacts
            WHERE program_id = \(bind: programID) AND NOT EXISTS (SELECT 1 FROM insight_marks m
            WHERE m.program_id = contacts.program_id AND m.hour = \(hour))
            """
        ).run()
    }

    /// The UTC period a contact arrived in, as the triggers mark it: seconds since 1970 ÷ `seconds` (3600: its
    /// hour; 86400, before migration 021: its day).
    static func utcPeriod(_ seconds: Int, _ sql: any SQLDatabase, _ column: String = "arrived_at") -> SQLQueryString {
        sql.isPostgreSQL
            ? "floor(extract(epoch FROM \(unsafeRaw: column)) / \(unsafeRaw: String(seconds)))::bigint"
            : "CAST(\(unsafeRaw: column) / \(unsafeRaw: String(seconds)) AS INTEGER)"
    }

    /// A day in a program's zone: its name (`2026-12-05`) and the instants it spans.
    struct LocalDay: Hashable, Comparable {
        var name: String
        var start: Date
        var end: Date

        static func < (lhs: LocalDay, rhs: LocalDay) -> Bool { lhs.start < rhs.start }
    }

    /// The local hours (of their local days) the UTC hours touch: one each, or two in a zone whose offset is not
    /// whole hours. Every zone's offset and change is a multiple of a quarter-hour.
    static func localHours(touching utcHours: [Int], _ calendar: Calendar) -> [(LocalDay, Set<Int>)] {
        var days: [LocalDay: Set<Int>] = [:]
        for utcHour in Set(utcHours) {
            for quarter in 0..<4 {
                let instant = Date(timeIntervalSince1970: Double(utcHour * 3_600 + quarter * 900))
                days[localDay(calendar.startOfDay(for: instant), calendar), default: []].insert(
                    calendar.component(.hour, from: instant))
            }
        }
        return days.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The instants of a local day whose local hour is one of `hours`, as spans of one local hour at most: a
    /// quarter-hour at a time, so a day with a clock change (or a zone with a half-hour offset) is followed as it is.
    static func spans(of hours: Set<Int>, in day: LocalDay, _ calendar: Calendar) -> [(hour: Int, range: Range<Date>)] {
        var spans: [(hour: Int, range: Range<Date>)] = []
        var instant = day.start
        while instant < day.end {
            let next = min(instant.addingTimeInterval(900), day.end)
            let hour = calendar.component(.hour, from: instant)
            if hours.contains(hour) {
                if let last = spans.last, last.hour == hour, last.range.upperBound == instant,
                    last.range.upperBound.timeIntervalSince(last.range.lowerBound) < 3_600
                {
                    spans[spans.count - 1].range = last.range.lowerBound..<next
                } else {
                    spans.append((hour, instant..<next))
                }
            }
            instant = next
        }
        return spans
    }

    static func localDay(_ midnight: Date, _ calendar: Calendar) -> LocalDay {
        let parts = calendar.dateComponents([.year, .month, .day], from: midnight)
        return LocalDay(
            name: String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!), start: midnight,
            end: calendar.date(byAdding: .day, value: 1, to: midnight)!)
    }

    /// Counts a program's contacts that arrived in `span` (all in local hour `hour`) into `counts`, by channel and
    /// rep, as ``ContactCounters/add(_:rules:)`` counts each (`InsightRollupTests` holds the roll-ups equal to that
    /// count): the database sums them, and only contacts whose first-contact resolution must be told (handled,
    /// with a customer and a reason) or that name root causes are read one by one. A busy hour is a few rows.
    private static func count(
        _ programID: UUID, span: Range<Date>, hour: Int, rules: InsightRules, into counts: inout DayCounts,
        keys: inout ReasonKeys, on sql: any SQLDatabase
    ) async throws {
        let postgres = sql.isPostgreSQL
        /// Seconds from one column to another, never below zero.
        func seconds(_ from: String, _ to: String) -> SQLQueryString {
            postgres
                ? "GREATEST(0, extract(epoch FROM \(unsafeRaw: to) - \(unsafeRaw: from))::double precision)"
                : "MAX(0, \(unsafeRaw: to) - \(unsafeRaw: from))"
        }
        let inSpan: SQLQueryString = """
            program_id = \(bind: programID) AND arrived_at >= \(bind: span.lowerBound) \
            AND arrived_at < \(bind: span.upperBound)
            """
        let handled: SQLQueryString =
            "answered_at IS NOT NULL AND ended_at IS NOT NULL AND status <> \(bind: ContactStatus.abandoned.rawValue)"
        let (target, short) = (rules.targetAnswer, rules.shortAbandon)
        for row in try await sql.raw(
            """
            SELECT channel, rep_id, COUNT(*) AS contacts, SUM(answered) AS answered,
            SUM(CASE WHEN answered = 1 AND wait_s <= \(bind: target) THEN 1 ELSE 0 END) AS answered_in_target,
            SUM(CASE WHEN gave_up_s > \(bind: short) THEN 1 ELSE 0 END) AS abandoned,
            SUM(CASE WHEN gave_up_s > \(bind: short) AND gave_up_s <= \(bind: target) THEN 1 ELSE 0 END)
            AS abandoned_in_target,
            SUM(CASE WHEN gave_up_s <= \(bind: short) THEN 1 ELSE 0 END) AS short_abandoned,
            SUM(wait_s) AS wait_seconds, SUM(handled) AS handled, SUM(talk_s) AS talk_seconds,
            SUM(wrap_s) AS wrap_seconds, 0 AS resolution_known, 0 AS resolved_first_time,
            SUM(heated) AS heated, SUM(abusive) AS abusive
            FROM (
                SELECT channel, rep_id,
                CASE WHEN direction = 'inbound' AND answered_at IS NOT NULL THEN 1 ELSE 0 END AS answered,
                CASE WHEN direction = 'inbound' AND answered_at IS NOT NULL
                THEN \(seconds("arrived_at", "answered_at")) ELSE 0 END AS wait_s,
                CASE WHEN direction = 'inbound' AND answered_at IS NULL
                AND status = \(bind: ContactStatus.abandoned.rawValue)
                THEN \(seconds("arrived_at", "COALESCE(ended_at, arrived_at)")) END AS gave_up_s,
                CASE WHEN \(handled) THEN 1 ELSE 0 END AS handled,
                CASE WHEN \(handled) THEN \(seconds("answered_at", "ended_at")) ELSE 0 END AS talk_s,
                CASE WHEN \(handled) AND wrapped_at IS NOT NULL THEN \(seconds("ended_at", "wrapped_at")) ELSE 0 END
                AS wrap_s,
                CASE WHEN wellbeing = 'heated' THEN 1 ELSE 0 END AS heated,
                CASE WHEN wellbeing = 'abusive' THEN 1 ELSE 0 END AS abusive
                FROM contacts WHERE \(inSpan)
            ) c GROUP BY channel, rep_id
            """
        ).all() {
            let counters = try ContactCounters(summed: row)
            let channel = try row.decode(column: "channel", as: String.self)
            counts.byHour[HourKey(hour: hour, channel: channel), default: .init()] += counters
            counts.byRep[
                RepKey(hour: hour, rep: try row.decode(column: "rep_id", as: UUID?.self), channel: channel),
                default: .init()] += counters
        }
        // In one read: the contacts that name root causes, and the handled ones with a customer and a reason, whose
        // first-contact resolution is told from the customer's later contacts about any reason.
        let resolvable: SQLQueryString = "\(handled) AND customer_id IS NOT NULL AND reason IS NOT NULL"
        var known: [(channel: String, rep: UUID?, customer: UUID, arrivedAt: Date, reason: String)] = []
        for row in try await sql.raw(
            """
            SELECT channel, rep_id, customer_id, arrived_at, reason, root_causes,
            CASE WHEN \(resolvable) THEN 1 ELSE 0 END AS resolvable FROM contacts
            WHERE \(inSpan) AND (root_causes IS NOT NULL OR \(resolvable))
            """
        ).all() {
            let rep = try row.decode(column: "rep_id", as: UUID?.self)
            for cause in Vocabulary.stored(try row.decode(column: "root_causes", as: String?.self) ?? "") {
                counts.byCause[CauseKey(hour: hour, rep: rep, cause: cause), default: 0] += 1
            }
            guard try row.decode(column: "resolvable", as: Int.self) == 1,
                let reason = try row.decode(column: "reason", as: String?.self)?.nilIfBlank
            else { continue }
            known.append(
                (
                    try row.decode(column: "channel", as: String.self), rep,
                    try row.decode(column: "customer_id", as: UUID.self),
                    try row.decode(column: "arrived_at", as: Date.self), reason
                ))
        }
        let later = try await laterContacts(
            of: Array(Set(known.map(\.customer))), after: span.lowerBound, until: span.upperBound, keys: &keys,
            on: sql)
        for contact in known {
            var counters = ContactCounters()
            counters.resolutionKnown = 1
            if InsightRules.resolvedFirstTime(
                arrivedAt: contact.arrivedAt, reasonKey: keys.key(contact.reason), later: later[contact.customer] ?? [])
            {
                counters.resolvedFirstTime = 1
            }
            counts.byHour[HourKey(hour: hour, channel: contact.channel), default: .init()] += counters
            counts.byRep[RepKey(hour: hour, rep: contact.rep, channel: contact.channel), default: .init()] += counters
        }
    }

    /// The contacts with a reason of `customers` that arrived after `start` and up to 7 days after `end`. A customer
    /// belongs to one program, so the query names no program: it goes by the customer's index, not the program's
    /// days.
    private static func laterContacts(
        of customers: [UUID], after start: Date, until end: Date, keys: inout ReasonKeys, on sql: any SQLDatabase
    ) async throws -> [UUID: [(arrivedAt: Date, reasonKey: String)]] {
        var later: [UUID: [(arrivedAt: Date, reasonKey: String)]] = [:]
        for chunk in stride(from: 0, to: customers.count, by: 500) {
            let ids = Array(customers[chunk..<min(chunk + 500, customers.count)])
            for row in try await sql.raw(
                """
                SELECT customer_id, arrived_at, reason FROM contacts
                WHERE customer_id IN (\(binds: ids)) AND arrived_at > \(bind: start)
                AND arrived_at <= \(bind: end.addingTimeInterval(InsightRules.repeatWindow)) AND reason IS NOT NULL
                """
            ).all() {
                later[try row.decode(column: "customer_id", as: UUID.self), default: []].append(
                    (
                        try row.decode(column: "arrived_at", as: Date.self),
                        keys.key(try row.decode(column: "reason", as: String.self))
                    ))
            }
        }
        return later
    }

    /// Hours of a local day of a program, counted.
    struct DayCounts: Sendable {
        var byHour: [HourKey: ContactCounters] = [:]
        var byRep: [RepKey: ContactCounters] = [:]
        var byCause: [CauseKey: Int] = [:]
    }

    /// Counts some local hours of a day of a program from their contacts, a span of an hour at most at a time.
    private static func count(
        _ programID: UUID, day: LocalDay, hours: Set<Int>, calendar: Calendar, rules: InsightRules,
        on sql: any SQLDatabase
    ) async throws -> DayCounts {
        var counts = DayCounts()
        var keys = ReasonKeys()
        for (hour, range) in spans(of: hours, in: day, calendar) {
            try await count(programID, span: range, hour: hour, rules: rules, into: &counts, keys: &keys, on: sql)
        }
        return counts
    }

    /// The rows stored for some local hours of a day, as `count` gives them.
    private static func stored(
        _ programID: UUID, day: LocalDay, hours counted: Set<Int>, on sql: any SQLDatabase
    ) async throws -> DayCounts {
        var stored = DayCounts()
        let these: SQLQueryString = """
            WHERE program_id = \(bind: programID) AND day = \(bind: day.name) AND hour IN (\(binds: Array(counted)))
            """
        for row in try await sql.raw("SELECT * FROM \(ident: hours) \(these)").all() {
            stored.byHour[try HourKey(row), default: .init()] += try ContactCounters(summed: row)
        }
        for row in try await sql.raw("SELECT * FROM \(ident: repHours) \(these)").all() {
            stored.byRep[try RepKey(row), default: .init()] += try ContactCounters(summed: row)
        }
        for row in try await sql.raw("SELECT * FROM \(ident: causeHours) \(these)").all() {
            stored.byCause[try CauseKey(row), default: 0] += try row.decode(column: "contacts", as: Int.self)
        }
        return stored
    }

    /// Writes the counts of some local hours of a day where they differ from the rows `stored` for those hours, then
    /// the day's rows by rep and by cause of the reps and causes whose hours changed, summed from their hours. A
    /// contact that arrives or changes alters a row or two of a day's thousands: those are written, so the writer is
    /// held for a moment (on SQLite claims and contact events wait for it).
    private static func store(
        _ counts: DayCounts, over stored: DayCounts, _ programID: UUID, day: LocalDay, on sql: any SQLDatabase
    ) async throws {
        let thisDay: SQLQueryString = "program_id = \(bind: programID) AND day = \(bind: day.name)"
        let counterColumns = CreateInsightRollups.counters.map(\.name)
        try await replace(
            hours, columns: ["program_id", "day", "hour", "channel"] + counterColumns, counts.byHour,
            over: stored.byHour, in: thisDay, on: sql
        ) { key, counters in [programID, day.name, key.hour, key.channel] + counters.columns }
        let reps = try await replace(
            repHours, columns: ["program_id", "day", "hour", "rep_id", "channel"] + counterColumns, counts.byRep,
            over: stored.byRep, in: thisDay, on: sql
        ) { key, counters in [programID, day.name, key.hour, key.rep, key.channel] + counters.columns }
        let causes = try await replace(
            causeHours, columns: ["program_id", "day", "hour", "rep_id", "cause", "contacts"], counts.byCause,
            over: stored.byCause, in: thisDay, on: sql
        ) { key, contacts in [programID, day.name, key.hour, key.rep, key.cause, contacts] }
        // The day's sums: a dashboard over months reads a row per rep and channel a day, not one per hour.
        try await sum(
            Self.reps, from: repHours, columns: "rep_id, channel", counters: counterColumns.joined(separator: ", "),
            sums: ContactCounters.sums, of: Set(reps.map { RepKey(hour: 0, rep: $0.rep, channel: $0.channel) }),
            in: thisDay, on: sql)
        try await sum(
            Self.causes, from: causeHours, columns: "rep_id, cause", counters: "contacts", sums: "SUM(contacts)",
            of: Set(causes.map { CauseKey(hour: 0, rep: $0.rep, cause: $0.cause) }), in: thisDay, on: sql)
    }

    /// Replaces the rows of `table` whose values differ between `new` and `old`: those rows when a few do, every
    /// row of their hours otherwise. Returns the keys that differed.
    @discardableResult
    private static func replace<Key: RollupKey, Value: Equatable>(
        _ table: String, columns: [String], _ new: [Key: Value], over old: [Key: Value], in day: SQLQueryString,
        on sql: any SQLDatabase, values: (Key, Value) -> [any Encodable & Sendable]
    ) async throws -> Set<Key> {
        let changed = Set(new.keys).union(old.keys).filter { new[$0] != old[$0] }
        guard !changed.isEmpty else { return [] }
        let written: [Key]
        if changed.count <= rowsAtATime {
            let rows = changed.map { SQLQueryString("(\($0.match))") }
            try await sql.raw(
                "DELETE FROM \(ident: table) WHERE \(day) AND (\(SQLList(rows, separator: SQLRaw(" OR "))))"
            )
            .run()
            written = Array(changed)
        } else {
            let hours = Set(changed.map(\.hour))
            try await sql.raw("DELETE FROM \(ident: table) WHERE \(day) AND hour IN (\(binds: Array(hours)))").run()
            written = new.keys.filter { hours.contains($0.hour) }
        }
        let rows = written.compactMap { key in new[key].map { values(key, $0) } }
        if !rows.isEmpty {
            var insert = sql.insert(into: table).columns(columns)
            for row in rows { insert = insert.values(row) }
            try await insert.run()
        }
        return changed
    }

    /// Sums the day's rows of `hourly` into `daily` for the keys given (their hour aside): those rows when a few
    /// changed, the whole day's otherwise.
    private static func sum<Key: RollupKey>(
        _ daily: String, from hourly: String, columns: String, counters: String, sums: String, of keys: Set<Key>,
        in day: SQLQueryString, on sql: any SQLDatabase
    ) async throws {
        guard !keys.isEmpty else { return }
        let these: SQLQueryString =
            keys.count <= rowsAtATime
            ? "\(day) AND (\(SQLList(keys.map { SQLQueryString("(\($0.dayMatch))") }, separator: SQLRaw(" OR "))))"
            : day
        try await sql.raw("DELETE FROM \(ident: daily) WHERE \(these)").run()
        try await sql.raw(
            """
            INSERT INTO \(ident: daily) (program_id, day, \(unsafeRaw: columns), \(unsafeRaw: counters))
            SELECT program_id, day, \(unsafeRaw: columns), \(unsafeRaw: sums) FROM \(ident: hourly)
            WHERE \(these) GROUP BY program_id, day, \(unsafeRaw: columns)
            """
        ).run()
    }

    /// The most rows of a table written one by one; past it, whole hours (or the whole day's sums) are.
    static let rowsAtATime = 32

    struct HourKey: RollupKey {
        var hour: Int
        var channel: String
        var dayMatch: SQLQueryString { "channel = \(bind: channel)" }
    }

    struct RepKey: RollupKey {
        var hour: Int
        var rep: UUID?
        var channel: String
        var dayMatch: SQLQueryString { "\(repMatch(rep)) AND channel = \(bind: channel)" }
    }

    struct CauseKey: RollupKey {
        var hour: Int
        var rep: UUID?
        var cause: String
        var dayMatch: SQLQueryString { "\(repMatch(rep)) AND cause = \(bind: cause)" }
    }
}

/// The keys of rows read from their tables.
extension InsightRollups.HourKey {
    init(_ row: any SQLRow) throws {
        self.init(
            hour: try row.decode(column: "hour", as: Int.self),
            channel: try row.decode(column: "channel", as: String.self))
    }
}

extension InsightRollups.RepKey {
    init(_ row: any SQLRow) throws {
        self.init(
            hour: try row.decode(column: "hour", as: Int.self), rep: try row.decode(column: "rep_id", as: UUID?.self),
            channel: try row.decode(column: "channel", as: String.self))
    }
}

extension InsightRollups.CauseKey {
    init(_ row: any SQLRow) throws {
        self.init(
            hour: try row.decode(column: "hour", as: Int.self), rep: try row.decode(column: "rep_id", as: UUID?.self),
            cause: try row.decode(column: "cause", as: String.self))
    }
}

/// A row of a roll-up table within a program's day: its hour, and the rest of what tells it from the day's others.
protocol RollupKey: Hashable, Sendable {
    var hour: Int { get }
    /// The row among the day's of its hour's table, its hour aside (its day's sum among the day's sums).
    var dayMatch: SQLQueryString { get }
}

extension RollupKey {
    /// The row among the day's.
    var match: SQLQueryString { "hour = \(bind: hour) AND \(dayMatch)" }
}

/// A row's rep, or none.
private func repMatch(_ rep: UUID?) -> SQLQueryString {
    rep.map { "rep_id = \(bind: $0)" } ?? "rep_id IS NULL"
}

extension ContactCounters {
    /// The values of `CreateInsightRollups.counters`, in order.
    var columns: [any Encodable & Sendable] {
        [
            contacts, answered, answeredInTarget, abandoned, abandonedInTarget, shortAbandoned, waitSeconds, handled,
            talkSeconds, wrapSeconds, resolutionKnown, resolvedFirstTime, heated, abusive,
        ]
    }

    /// The sums of the counters, named as the columns (`CAST(SUM(contacts) AS BIGINT) AS contacts`, …).
    static var sums: String {
        CreateInsightRollups.counters.map { name, seconds in
            seconds ? "SUM(\(name)) AS \(name)" : "CAST(SUM(\(name)) AS BIGINT) AS \(name)"
        }.joined(separator: ", ")
    }

    /// Summed columns as a query returns them (see `sums`); nothing summed counts as zero.
    init(summed row: any SQLRow) throws {
        self.init()
        func int(_ column: String) throws -> Int { try row.decode(column: column, as: Int?.self) ?? 0 }
        func double(_ column: String) throws -> Double { try row.decode(column: column, as: Double?.self) ?? 0 }
        contacts = try int("contacts")
        answered = try int("answered")
        answeredInTarget = try int("answered_in_target")
        abandoned = try int("abandoned")
        abandonedInTarget = try int("abandoned_in_target")
        shortAbandoned = try int("short_abandoned")
        waitSeconds = try double("wait_seconds")
        handled = try int("handled")
        talkSeconds = try double("talk_seconds")
        wrapSeconds = try double("wrap_seconds")
        resolutionKnown = try int("resolution_known")
        resolvedFirstTime = try int("resolved_first_time")
        heated = try int("heated")
        abusive = try int("abusive")
    }
}

extension InsightRollups {
    /// Keeps the roll-ups current while the server runs: every ten seconds, the hours marked since.
    static func loop() -> BackgroundLoop {
        let pacing = Pacing()
        return BackgroundLoop(every: .seconds(10)) { app, _ in
            do {
                // While a whole batch was read, more may be waiting; an hour written while it was counted waits
                // for the next round (under load this hour is marked again at once: counting it without pause
                // would keep the database busy for nothing). A backlog (a bulk import's history) is counted at
                // half speed: after each batch the requests have the core alone for as long as it took.
                while !Task.isCancelled {
                    let started = ContinuousClock.now
                    guard try await refresh(pacing: pacing, events: app.events, on: app.backgroundDB) >= refreshLimit
                    else { break }
                    try? await Task.sleep(for: ContinuousClock.now - started)
                }
            } catch {
                app.logger.warning("Insights not counted: \(String(reflecting: type(of: error)))")
            }
        }
    }
}
