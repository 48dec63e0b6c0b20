import DaymakerCore
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit

/// Turns every attempt that did not get through in a window into a campaign: one call per distinct number, its
/// attempts merged (call records' unanswered calls, abandoned and failed contacts, explicit "call me back"
/// requests), minus numbers that got through after their last attempt, matched to customers, each kept in its
/// own calling window. Numbers that cannot be called are listed with the reason, never dropped.
struct CampaignBuilder {
    /// What a supervisor asked for.
    struct Plan: Sendable {
        var program: Program
        var incidentID: UUID?
        var title: String
        var windowStart: Date
        var windowEnd: Date
        var opener: OpenerScript
        var window: CallingWindow
        var retries: RetryPolicy
        var claimMinutes: Int
    }

    static let chunk = 500

    /// Generates the campaign and stores it with all its calls in one transaction. Its reads run on one connection
    /// (on SQLite each would fill a page cache of its own with the same pages: the peak memory of `daymaker campaign
    /// generate`); on SQLite a read-only one of the file's own, whose rows come back without SQLiteNIO's hop to
    /// its thread pool and back (see `SQLiteWriter.read`).
    static func generate(
        _ plan: Plan, by author: UUID?, now: Date, events: Events, on db: any Database
    ) async throws -> Campaign {
        let programID = try plan.program.requireID()
        if let writer = events.sqliteWriter {
            return try await writer.read { sql, handle in
                var merge = try Merge.read(plan, programID: programID, on: handle)
                return try await generate(
                    plan, merge.take(), by: author, now: now, events: events, reading: sql, on: db)
            }
        }
        return try await db.withConnection { connection in
            var merge = try await Merge.read(plan, programID: programID, on: connection)
            return try await generate(
                plan, merge.take(), by: author, now: now, events: events, reading: try connection.sqlDatabase,
                on: connection)
        }
    }

    /// Generates the campaign from the merge's numbers (see `CallbackMerge.take`).
    private static func generate(
        _ plan: Plan, _ merged: (kept: [CallbackMerge.Number], attempts: Int, gotThrough: Int), by author: UUID?,
        now: Date, events: Events, reading sql: any SQLDatabase, on db: any Database
    ) async throws -> Campaign {
        let programID = try plan.program.requireID()
        let (kept, attempts, gotThrough) = merged
        let campaign = Campaign()
        campaign.id = UUID(timeOrderedAt: now)
        campaign.programID = programID
        campaign.incidentID = plan.incidentID
        campaign.title = plan.title
        campaign.windowStart = plan.windowStart
        campaign.windowEnd = plan.windowEnd
        campaign.opener = plan.opener.text
        campaign.window = plan.window
        campaign.maxAttempts = plan.retries.maxAttempts
        campaign.spacingMinutes = plan.retries.spacingMinutes
        campaign.claimMinutes = plan.claimMinutes
        campaign.attempts = attempts
        campaign.gotThrough = gotThrough
        campaign.createdBy = author
        campaign.createdAt = now
        campaign.callable = kept.count
        campaign.uncallable = 0

        // The calls are built a chunk at a time (each chunk's facts read) while the chunks before are stored.
        let (chunks, building) = AsyncThrowingStream<[NewCall], any Error>.makeStream()
        let builder = Task {
            do {
                // Every call in one zone opens at the same instant: worked out once per zone.
                var openings: [String: Date] = [:]
                for start in stride(from: 0, to: kept.count, by: chunk) {
                    try Task.checkCancellation()
                    let part = kept[start..<min(start + chunk, kept.count)]
                    building.yield(
                        try await calls(part, plan: plan, programID: programID, now: now, openings: &openings, on: sql))
                }
                building.finish()
            } catch {
                building.finish(throwing: error)
            }
        }
        do {
            try await store(campaign, calls: chunks, by: author, now: now, events: events, on: db)
        } catch {
            builder.cancel()
            await builder.value
            throw error
        }
        return campaign
    }

    /// A chunk of numbers' calls: their customers, zones, care notes and the do-not-call list read, each number's
    /// problem (if it cannot be called) and when its calling window opens.
    private static func calls(
        _ part: ArraySlice<CallbackMerge.Number>, plan: Plan, programID: UUID, now: Date,
        openings: inout [String: Date],
        on sql: any SQLDatabase
    ) async throws -> [NewCall] {
        // The zones the numbers give (each validated again: 0.6 s for 200,000) are worked out on another task
        // while the facts are read.
        let phoneZones = Task { part.map { $0.problem == nil ? PhoneZones.zone(for: $0.number) : nil } }
        let facts = try await Facts.load(part.map(\.number), program: programID, on: sql)
        var calls: [NewCall] = []
        calls.reserveCapacity(part.count)
        for (merged, phoneZone) in zip(part, await phoneZones.value) {
            let customers = facts.customers[merged.number] ?? []
            let problem =
                merged.problem.map { "Not a number to call: \($0)" }
                ?? facts.doNotCall[merged.number].map { "On the do-not-call list: \($0)" }
            let zoneName =
                customers.lazy.compactMap { facts.zones[$0] }.first
                ?? (problem == nil ? phoneZone : nil) ?? plan.program.timeZone
            let zone = TimeZones.named(zoneName) ?? plan.program.zone
            let due: Date?
            if problem != nil {
                due = nil
            } else if let known = openings[zone.identifier] {
                due = known
            } else {
                due = plan.window.nextOpening(atOrAfter: now, in: zone)
                openings[zone.identifier] = due
            }
            calls.append(
                NewCall(
                    id: UUID(timeOrderedAt: now), merged: merged, problem: problem,
                    customers: customers.map(\.lowercaseText).joined(separator: ","), zone: zone.identifier,
                    care: customers.contains { facts.care.contains($0) }, state: problem == nil ? .due : .uncallable,
                    due: due))
        }
        return calls
    }

    /// A call as it is stored.
    private struct NewCall: Sendable {
        var id: UUID
        var merged: CallbackMerge.Number
        var problem: String?
        var customers: String
        var zone: String
        var care: Bool
        var state: CampaignCall.State
        var due: Date?

        var channels: String {
            [merged.voice ? "voice" : nil, merged.sms ? "sms" : nil].compactMap { $0 }.joined(separator: ",")
        }
        /// Asked first, then customers with care notes, then everyone else.
        var priority: Int { merged.explicit ? 0 : care ? 1 : 2 }

        static let columns = [
            "id", "campaign_id", "number", "problem", "customer_ids", "zone", "attempts", "first_attempt_at",
            "last_attempt_at", "channels", "explicit", "care", "priority", "state", "due_at", "tries", "reached",
        ]

        func values(campaign: UUID) -> [any Encodable & Sendable] {
            [
                id, campaign, merged.number, problem, customers, zone, merged.attempts, merged.first, merged.last,
                channels, merged.explicit, care, priority, state.rawValue, due, 0, false,
            ]
        }

        /// The same as Fluent's SQLite driver writes them.
        func sqliteValues(campaign: SQLiteData) -> [SQLiteData] {
            [
                .text(id.uppercaseText), campaign, .text(merged.number), problem.map(SQLiteData.text) ?? .null,
                .text(customers), .text(zone), .integer(merged.attempts), .float(merged.first.timeIntervalSince1970),
                .float(merged.last.timeIntervalSince1970), .text(channels), .integer(merged.explicit ? 1 : 0),
                .integer(care ? 1 : 0), .integer(priority), .text(state.rawValue),
                due.map { .float($0.timeIntervalSince1970) } ?? .null, .integer(0), .integer(0),
            ]
        }
    }

    /// Stores the campaign with all its calls and the audit entry in one transaction, and counts the calls that
    /// cannot be made. On SQLite on the writer's connection, each chunk of calls through one compiled statement as
    /// it comes; elsewhere, once all have come, in statements of `chunk` calls.
    private static func store(
        _ campaign: Campaign, calls chunks: AsyncThrowingStream<[NewCall], any Error>, by author: UUID?, now: Date,
        events: Events, on db: any Database
    ) async throws {
        let id = try campaign.requireID()
        let total = campaign.callable
        @Sendable func audit(_ sql: any SQLDatabase, uncallable: Int) async throws {
            try await AuditEntry.record(
                on: sql, at: now, actor: author, action: "campaign.generated", recordType: "campaign", recordID: id,
                programID: campaign.programID,
                detail:
                    "\(total - uncallable) to call, \(uncallable) cannot be called, \(campaign.gotThrough) got through since"
            )
        }
        if let writer = events.sqliteWriter {
            let insert = """
                INSERT INTO \(CampaignCall.schema) (\(NewCall.columns.joined(separator: ", ")))
                VALUES (\(SQLiteHandle.placeholders(NewCall.columns.count)))
                """
            let uncallable = try await writer.bulkTransaction { sql, handle in
                try await sql.insert(into: Campaign.schema).fluentModel(campaign).run()
                let campaignID = SQLiteData.text(id.uppercaseText)
                var uncallable = 0
                for try await calls in chunks {
                    for call in calls {
                        try handle.run(insert, call.sqliteValues(campaign: campaignID)) { _ in }
                        if call.problem != nil { uncallable += 1 }
                    }
                }
                try await sql.update(Campaign.schema).set("callable", to: total - uncallable)
                    .set("uncallable", to: uncallable).where("id", .equal, id).run()
                try await audit(sql, uncallable: uncallable)
                return uncallable
            }
            campaign.callable = total - uncallable
            campaign.uncallable = uncallable
            return
        }
        var all: [NewCall] = []
        all.reserveCapacity(total)
        for try await chunk in chunks { all += chunk }
        let calls = all
        campaign.uncallable = calls.count { $0.problem != nil }
        campaign.callable = total - campaign.uncallable
        try await db.writeTransaction { db in
            try await campaign.create(on: db)
            let sql = try db.sqlDatabase
            for start in stride(from: 0, to: calls.count, by: chunk) {
                var insert = sql.insert(into: CampaignCall.schema).columns(NewCall.columns)
                for call in calls[start..<min(start + chunk, calls.count)] {
                    insert = insert.values(call.values(campaign: id))
                }
                try await insert.run()
            }
            try await audit(sql, uncallable: campaign.uncallable)
        }
    }

    /// The attempts in the window and the contacts that got through since, read into a `CallbackMerge`: the
    /// attempts first (the merge keeps only numbers with attempts), then who got through, each in one statement
    /// whose rows are merged as they come (a million call records make some 700,000 calls). The same statements on
    /// both databases, their parameters numbered: the program, the window's start and end, the incident.
    enum Merge {
        /// Calls not answered, contacts abandoned or failed (voice or text), and "call me back" requests.
        static func attempts(_ plan: Plan) -> String {
            let requests =
                plan.incidentID == nil
                ? "incident_id IS NOT NULL AND created_at >= $2 AND created_at < $3" : "incident_id = $4"
            let (voice, sms, request) = (
                CallbackMerge.Channel.voice.rawValue, CallbackMerge.Channel.sms.rawValue,
                CallbackMerge.Channel.request.rawValue
            )
            return """
                SELECT number, problem, started_at AS at, \(voice) AS channel
                FROM call_attempts
                WHERE program_id = $1 AND started_at >= $2 AND started_at < $3 AND NOT answered
                UNION ALL
                SELECT from_address, from_problem, arrived_at,
                    CASE WHEN channel = 'sms' THEN \(sms) ELSE \(voice) END
                FROM contacts
                WHERE program_id = $1 AND arrived_at >= $2 AND arrived_at < $3 AND direction = 'inbound'
                    AND status IN ('abandoned', 'failed') AND channel IN ('voice', 'sms')
                UNION ALL
                SELECT number, NULL, created_at, \(request)
                FROM callbacks
                WHERE program_id = $1 AND status = 'open' AND \(requests)
                """
        }

        /// Calls answered and contacts answered since the window opened (until now).
        static let gotThrough = """
            SELECT number, started_at AS at
            FROM call_attempts
            WHERE program_id = $1 AND started_at >= $2 AND answered
            UNION ALL
            SELECT CASE WHEN direction = 'inbound' THEN from_address ELSE to_address END, answered_at
            FROM contacts
            WHERE program_id = $1 AND arrived_at >= $2 AND answered_at IS NOT NULL
            """

        /// On SQLite: on the read-only connection, each row's columns read directly.
        static func read(_ plan: Plan, programID: UUID, on handle: SQLiteHandle) throws -> CallbackMerge {
            var binds: [SQLiteData] = [
                .text(programID.uppercaseText), .float(plan.windowStart.timeIntervalSince1970),
                .float(plan.windowEnd.timeIntervalSince1970),
            ]
            if let incident = plan.incidentID { binds.append(.text(incident.uppercaseText)) }
            var merge = CallbackMerge()
            try handle.run(sqlite(attempts(plan)), binds) { row in
                guard let number = row.text(0), let at = row.date(2),
                    let channel = row.integer(3).flatMap(CallbackMerge.Channel.init)
                else { throw InternalFault("A campaign's merge read an attempt it cannot use.") }
                merge.attempt(number, problem: row.text(1), at: at, channel: channel)
            }
            try handle.run(sqlite(gotThrough), Array(binds.prefix(2))) { row in
                guard let number = row.text(0), let at = row.date(1) else {
                    throw InternalFault("A campaign's merge read a contact it cannot use.")
                }
                merge.gotThrough(number, at: at)
            }
            return merge
        }

        /// On PostgreSQL: each row decoded by PostgresNIO as it arrives.
        static func read(_ plan: Plan, programID: UUID, on db: any Database) async throws -> CallbackMerge {
            var binds = PostgresBindings(capacity: 4)
            binds.append(programID)
            binds.append(plan.windowStart)
            binds.append(plan.windowEnd)
            if let incident = plan.incidentID { binds.append(incident) }
            var merge = CallbackMerge()
            try await db.postgresStream(PostgresQuery(unsafeSQL: attempts(plan), binds: binds)) { row in
                let (number, problem, at, channel) = try row.decode((String, String?, Date, Int).self)
                guard let channel = CallbackMerge.Channel(rawValue: channel) else {
                    throw InternalFault("A campaign's merge read an attempt it cannot use.")
                }
                merge.attempt(number, problem: problem, at: at, channel: channel)
            }
            var since = PostgresBindings(capacity: 2)
            since.append(programID)
            since.append(plan.windowStart)
            try await db.postgresStream(PostgresQuery(unsafeSQL: gotThrough, binds: since)) { row in
                let (number, at) = try row.decode((String, Date).self)
                merge.gotThrough(number, at: at)
            }
            return merge
        }

        /// SQLite numbers its parameters `?1`, `?2`, …
        static func sqlite(_ sql: String) -> String { sql.replacingOccurrences(of: "$", with: "?") }
    }

    /// What the program knows about a chunk of numbers: their customers (with zones and care notes) and the
    /// do-not-call list's reasons.
    struct Facts {
        var customers: [String: [UUID]] = [:]
        var zones: [UUID: String] = [:]
        var care: Set<UUID> = []
        var doNotCall: [String: String] = [:]

        static func load(_ numbers: [String], program: UUID, on sql: any SQLDatabase) async throws -> Facts {
            var facts = Facts()
            for row in try await sql.select().column("customer_id").column("e164").from(CustomerPhone.schema)
                .where("program_id", .equal, program).where("e164", .in, numbers)
                .orderBy("customer_id").all()
            {
                let number = try row.decode(column: "e164", as: String.self)
                let customer = try row.decode(column: "customer_id", as: UUID.self)
                if facts.customers[number]?.contains(customer) != true {
                    facts.customers[number, default: []].append(customer)
                }
            }
            let ids = Array(Set(facts.customers.values.joined()))
            if !ids.isEmpty {
                for row in try await sql.select().column("id").column("time_zone").from(Customer.schema)
                    .where("id", .in, ids).where("time_zone", .isNot, SQLLiteral.null).all()
                {
                    facts.zones[try row.decode(column: "id", as: UUID.self)] = try row.decode(
                        column: "time_zone", as: String.self)
                }
                for row in try await sql.select().distinct().column("customer_id").from(CareNote.schema)
                    .where("customer_id", .in, ids).where("retired_at", .is, SQLLiteral.null).all()
                {
                    facts.care.insert(try row.decode(column: "customer_id", as: UUID.self))
                }
            }
            for row in try await sql.select().column("number").column("reason").from(DoNotCall.schema)
                .where("program_id", .equal, program).where("number", .in, numbers).all()
            {
                facts.doNotCall[try row.decode(column: "number", as: String.self)] = try row.decode(
                    column: "reason", as: String.self)
            }
            return facts
        }
    }
}
