import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Synchronization

/// Insights' daily roll-ups: each program's contacts counted (``ContactCounters``) per day in the program's zone,
/// by hour and channel (`insight_hours`), by rep and channel (`insight_reps`), and the root causes reps named in
/// wrap-up by rep (`insight_causes`). Triggers on `contacts` mark the
/// UTC day of every contact inserted, changed or deleted (`insight_dirty`), and every contact with a customer and a
/// reason added, changed or removed (`insight_repeats`: it may make the customer's earlier contacts within 7 days
/// not resolved the first time, or resolved again); `refresh` marks those earlier contacts' days too, then counts
/// every marked day again from the contacts.
/// A late event or a contact moved to another rep is therefore counted where it belongs, and the roll-ups always
/// equal a count from the contacts themselves once refreshed.
enum InsightRollups {
    static let hours = "insight_hours"
    static let reps = "insight_reps"
    static let causes = "insight_causes"
    static let dirty = "insight_dirty"
    static let repeats = "insight_repeats"

    /// The most marked days one `refresh` reads.
    static let refreshLimit = 31

    /// Counts again the days marked, oldest first, up to `limit` marked days per call; returns how many it read.
    ///
    /// A program's marks are taken first, in a statement of their own: taking a mark waits for a write still
    /// holding it (see ``UpdateInsightMarksTaken``), so the count that follows sees that write. Then its days are
    /// counted and the marks dropped — only those no write touched since they were taken: a day written meanwhile
    /// stays marked and is counted again next time. A count that fails leaves its marks taken; the next refresh
    /// takes them again.
    ///
    /// With `pacing` (the server's loop), a day is counted again only once the time its last count took, nine
    /// times over, has passed: counting a busy day (today, under a steady stream of contacts) takes at most a tenth
    /// of the time, and its numbers are as old as ten counts of it at most. Marks not due yet are left for later.
    @discardableResult
    static func refresh(limit: Int = refreshLimit, pacing: Pacing? = nil, on db: any Database) async throws -> Int {
        try await markRepeated(on: db)
        let read = try await db.sqlDatabase.raw(
            "SELECT program_id, day FROM insight_dirty ORDER BY day, program_id LIMIT \(bind: limit)"
        ).all().map {
            Pacing.Mark(
                program: try $0.decode(column: "program_id", as: UUID.self),
                day: try $0.decode(column: "day", as: Int.self))
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
            let marks = keys.map(\.day)
            let taken = Int64.random(in: 1...Int64.max)
            try await db.writeTransaction { db in
                try await db.sqlDatabase.update(dirty).set("taken", to: taken).where("program_id", .equal, programID)
                    .where("day", .in, marks).run()
            }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = programs[programID]?.zone ?? .gmt
            let days = programs[programID] == nil ? [] : localDays(touching: marks, calendar)
            let rules = (settings[programID] ?? .defaults).insightRules
            let zoned = calendar
            // A day per transaction: on SQLite the writer is free again between days (claims and contact events
            // wait for it), and a failure keeps the marks taken, for the next round.
            for day in days {
                if try db.sqlDatabase.dialect.name == "postgresql" {
                    try await db.writeTransaction { db in
                        let sql = try db.sqlDatabase
                        // One count of a program at a time across instances, read and written under one lock: two
                        // counting a day would both write its rows, or write an older count over a newer one.
                        try await sql.raw(
                            "SELECT pg_advisory_xact_lock(hashtextextended(\(bind: programID.uuidString), 22))"
                        ).run()
                        let counts = try await count(programID, day: day, calendar: zoned, rules: rules, on: sql)
                        try await store(counts, programID, day: day, on: sql)
                    }
                } else {
                    // SQLite's one instance counts alone: the day is read with the writer free (claims and contact
                    // events wait for it), then its rows are written.
                    let counts = try await count(programID, day: day, calendar: zoned, rules: rules, on: db.sqlDatabase)
                    try await db.writeTransaction { db in
                        try await store(counts, programID, day: day, on: try db.sqlDatabase)
                    }
                }
            }
            try await db.writeTransaction { db in
                try await db.sqlDatabase.delete(from: dirty).where("program_id", .equal, programID)
                    .where("day", .in, marks).where("taken", .equal, taken).run()
            }
            pacing?.counted(keys, in: ContinuousClock.now - started)
        }
        return marked.count
    }

    /// When each marked day may be counted again (see `refresh`).
    final class Pacing: Sendable {
        struct Mark: Hashable, Sendable {
            let program: UUID
            let day: Int
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

    /// Marks the days of the contacts that a contact with a customer and a reason (noted by the triggers) follows
    /// within 7 days: their first-contact resolution may have changed. One statement for all that were noted (a bulk
    /// import notes millions).
    static func markRepeated(on db: any Database) async throws {
        try await db.writeTransaction { db in
            let sql = try db.sqlDatabase
            let postgres = sql.dialect.name == "postgresql"
            // After a bulk import (more noted than a day's work brings): every day of those programs is counted
            // again, one pass over their contacts, instead of looking up each customer's week.
            let many =
                try await sql.raw("SELECT COUNT(*) AS noted FROM (SELECT 1 FROM insight_repeats LIMIT 50001) n")
                .first()?.decode(column: "noted", as: Int.self) ?? 0
            if many > 50_000 {
                let programs = try await sql.raw("SELECT DISTINCT program_id FROM insight_repeats").all()
                    .map { try $0.decode(column: "program_id", as: UUID.self) }
                try await sql.raw("DELETE FROM insight_repeats WHERE program_id IN (\(binds: programs))").run()
                for program in programs { try await markAll(programID: program, on: sql) }
                return
            }
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
            // On PostgreSQL another instance may be counting these days: a mark it took is given back, as a
            // contact's write gives it back. SQLite's one instance counts only after this, in the same round.
            try await sql.raw(
                """
                \(noted)\(unsafeRaw: postgres ? "INSERT" : "INSERT OR IGNORE") INTO insight_dirty (program_id, day)
                SELECT DISTINCT c.program_id, \(utcDay(sql, "c.arrived_at")) FROM \(source) r
                JOIN contacts c ON c.customer_id = r.customer_id AND \(sameProgram)
                AND c.arrived_at >= \(weekBefore) AND c.arrived_at < r.arrived_at
                \(unsafeRaw: postgres ? UpdateInsightMarksTaken.marking : "")
                """
            ).run()
            if !postgres { try await sql.raw("DELETE FROM insight_repeats").run() }
        }
    }

    /// Marks every day of the program's contacts to be counted again (its rules for counting changed).
    static func markAll(programID: UUID, on sql: any SQLDatabase) async throws {
        // Marks being counted with the rules before are given back: their days are counted again too.
        try await sql.update(dirty).set("taken", to: SQLLiteral.null).where("program_id", .equal, programID).run()
        try await sql.raw(
            """
            INSERT INTO insight_dirty (program_id, day) SELECT DISTINCT program_id, \(utcDay(sql)) FROM contacts
            WHERE program_id = \(bind: programID) AND NOT EXISTS (SELECT 1 FROM insight_dirty d
            WHERE d.program_id = contacts.program_id AND d.day = \(utcDay(sql)))
            """
        ).run()
    }

    /// The UTC day number of a contact's arrival (seconds since 1970 ÷ 86400), as the triggers mark it.
    static func utcDay(_ sql: any SQLDatabase, _ column: String = "arrived_at") -> SQLQueryString {
        sql.dialect.name == "postgresql"
            ? "floor(extract(epoch FROM \(unsafeRaw: column)) / 86400)::bigint"
            : "CAST(\(unsafeRaw: column) / 86400 AS INTEGER)"
    }

    /// A day in a program's zone: its name (`2026-12-05`) and the instants it spans.
    struct LocalDay: Hashable, Comparable {
        var name: String
        var start: Date
        var end: Date

        static func < (lhs: LocalDay, rhs: LocalDay) -> Bool { lhs.start < rhs.start }
    }

    /// The local days the UTC days touch (one or two each).
    static func localDays(touching utcDays: [Int], _ calendar: Calendar) -> [LocalDay] {
        var days = Set<LocalDay>()
        for utcDay in Set(utcDays) {
            let start = Date(timeIntervalSince1970: Double(utcDay) * 86_400)
            for instant in [start, start.addingTimeInterval(86_399)] {
                days.insert(localDay(calendar.startOfDay(for: instant), calendar))
            }
        }
        return days.sorted()
    }

    static func localDay(_ midnight: Date, _ calendar: Calendar) -> LocalDay {
        let parts = calendar.dateComponents([.year, .month, .day], from: midnight)
        return LocalDay(
            name: String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!), start: midnight,
            end: calendar.date(byAdding: .day, value: 1, to: midnight)!)
    }

    /// One contact as read for counting.
    struct Row {
        var channel: String
        var rep: UUID?
        var customer: UUID?
        var reason: String?
        var causes: [String]
        var contact: CountedContact
    }

    /// Reads a program's contacts that arrived in [start, end), counted by `rules` (first-contact resolution
    /// looks at the customers' contacts up to 7 days after `end`).
    static func contacts(
        of programID: UUID, from start: Date, to end: Date, rules: InsightRules, on sql: any SQLDatabase
    ) async throws -> [Row] {
        var rows = try await sql.raw(
            """
            SELECT channel, direction, status, arrived_at, answered_at, ended_at, wrapped_at, rep_id, customer_id,
            reason, root_causes, wellbeing FROM contacts
            WHERE program_id = \(bind: programID) AND arrived_at >= \(bind: start) AND arrived_at < \(bind: end)
            """
        ).all().map { row in
            Row(
                channel: try row.decode(column: "channel", as: String.self),
                rep: try row.decode(column: "rep_id", as: UUID?.self),
                customer: try row.decode(column: "customer_id", as: UUID?.self),
                reason: try row.decode(column: "reason", as: String?.self)?.nilIfBlank,
                causes: Vocabulary.stored(try row.decode(column: "root_causes", as: String?.self) ?? ""),
                contact: CountedContact(
                    inbound: try row.decode(column: "direction", as: String.self) == "inbound",
                    arrivedAt: try row.decode(column: "arrived_at", as: Date.self),
                    answeredAt: try row.decode(column: "answered_at", as: Date?.self),
                    endedAt: try row.decode(column: "ended_at", as: Date?.self),
                    wrappedAt: try row.decode(column: "wrapped_at", as: Date?.self),
                    abandoned: try row.decode(column: "status", as: String.self) == ContactStatus.abandoned.rawValue,
                    wellbeing: try row.decode(column: "wellbeing", as: String?.self), resolvedFirstTime: nil))
        }
        // First-contact resolution: the later contacts of the same customers, about any reason. A customer belongs to
        // one program, so the query names no program: it goes by the customer's index, not the program's days.
        let customers = Array(Set(rows.filter { $0.reason != nil }.compactMap(\.customer)))
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
                        InsightRules.reasonKey(try row.decode(column: "reason", as: String.self))
                    ))
            }
        }
        for index in rows.indices {
            guard let customer = rows[index].customer, let reason = rows[index].reason else { continue }
            rows[index].contact.resolvedFirstTime = InsightRules.resolvedFirstTime(
                arrivedAt: rows[index].contact.arrivedAt, reason: reason, later: later[customer] ?? [])
        }
        return rows
    }

    /// A local day of a program, counted.
    struct DayCounts {
        var byHour: [HourKey: ContactCounters] = [:]
        var byRep: [RepKey: ContactCounters] = [:]
        var byCause: [CauseKey: Int] = [:]
    }

    /// Counts one local day of a program from its contacts.
    private static func count(
        _ programID: UUID, day: LocalDay, calendar: Calendar, rules: InsightRules, on sql: any SQLDatabase
    ) async throws -> DayCounts {
        var counts = DayCounts()
        // An hour of contacts at a time (the counters add up): a busy day's are never all in memory at once.
        var from = day.start
        while from < day.end {
            let until = min(from.addingTimeInterval(3600), day.end)
            for row in try await contacts(of: programID, from: from, to: until, rules: rules, on: sql) {
                for cause in row.causes { counts.byCause[CauseKey(rep: row.rep, cause: cause), default: 0] += 1 }
                let hour = calendar.component(.hour, from: row.contact.arrivedAt)
                counts.byHour[HourKey(hour: hour, channel: row.channel), default: .init()].add(
                    row.contact, rules: rules)
                counts.byRep[RepKey(rep: row.rep, channel: row.channel), default: .init()].add(
                    row.contact, rules: rules)
            }
            from = until
        }
        return counts
    }

    /// Replaces a local day's rows with its counts.
    private static func store(
        _ counts: DayCounts, _ programID: UUID, day: LocalDay, on sql: any SQLDatabase
    ) async throws {
        let (byHour, byRep, byCause) = (counts.byHour, counts.byRep, counts.byCause)
        for table in [hours, reps, causes] {
            try await sql.delete(from: table).where("program_id", .equal, programID).where("day", .equal, day.name)
                .run()
        }
        let counterColumns = CreateInsightRollups.counters.map(\.name)
        if !byHour.isEmpty {
            var insert = sql.insert(into: hours).columns(["program_id", "day", "hour", "channel"] + counterColumns)
            for (key, counters) in byHour {
                insert = insert.values([programID, day.name, key.hour, key.channel] + counters.columns)
            }
            try await insert.run()
        }
        if !byRep.isEmpty {
            var insert = sql.insert(into: reps).columns(["program_id", "day", "rep_id", "channel"] + counterColumns)
            for (key, counters) in byRep {
                insert = insert.values([programID, day.name, key.rep, key.channel] + counters.columns)
            }
            try await insert.run()
        }
        if !byCause.isEmpty {
            var insert = sql.insert(into: causes).columns("program_id", "day", "rep_id", "cause", "contacts")
            for (key, contacts) in byCause {
                insert = insert.values(programID, day.name, key.rep, key.cause, contacts)
            }
            try await insert.run()
        }
    }

    struct HourKey: Hashable {
        var hour: Int
        var channel: String
    }

    struct RepKey: Hashable {
        var rep: UUID?
        var channel: String
    }

    struct CauseKey: Hashable {
        var rep: UUID?
        var cause: String
    }
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
    /// Keeps the roll-ups current while the server runs: every ten seconds, the days marked since.
    static func loop() -> BackgroundLoop {
        let pacing = Pacing()
        return BackgroundLoop(every: .seconds(10)) { app, _ in
            do {
                // While a whole batch was read, more may be waiting; a day written while it was counted waits for
                // the next round (under load today is marked again at once: counting it without pause would keep
                // the database busy for nothing).
                while try await refresh(pacing: pacing, on: app.db) >= refreshLimit, !Task.isCancelled {}
            } catch {
                app.logger.warning("Insights not counted: \(String(reflecting: type(of: error)))")
            }
        }
    }
}
