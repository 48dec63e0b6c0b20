import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Synchronization

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

    /// One number's attempts, as the database merged them.
    struct Merged: Sendable {
        var number: String
        var problem: String?
        var attempts: Int
        var first: Date
        var last: Date
        var voice: Bool
        var sms: Bool
        var explicit: Bool
    }

    static let chunk = 500

    /// Generates the campaign and stores it with all its calls in one transaction.
    static func generate(_ plan: Plan, by author: UUID?, now: Date, on db: any Database) async throws -> Campaign {
        let programID = try plan.program.requireID()
        var attempts = 0
        var gotThrough = 0
        var kept: [Merged] = []
        for (merged, gotAt) in try await merged(plan, programID: programID, on: db) {
            attempts += merged.attempts
            if let gotAt, gotAt > merged.last {
                gotThrough += 1
            } else {
                kept.append(merged)
            }
        }
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

        var rows: [[any Encodable & Sendable]] = []
        rows.reserveCapacity(kept.count)
        var uncallable = 0
        for start in stride(from: 0, to: kept.count, by: chunk) {
            let part = kept[start..<min(start + chunk, kept.count)]
            let facts = try await Facts.load(part.map(\.number), program: programID, on: db)
            for merged in part {
                let customers = facts.customers[merged.number] ?? []
                let problem =
                    merged.problem.map { "Not a number to call: \($0)" }
                    ?? facts.doNotCall[merged.number].map { "On the do-not-call list: \($0)" }
                let zoneName =
                    customers.lazy.compactMap { facts.zones[$0] }.first
                    ?? (problem == nil ? PhoneZones.zone(for: merged.number) : nil) ?? plan.program.timeZone
                let zone = TimeZones.named(zoneName) ?? plan.program.zone
                let care = customers.contains { facts.care.contains($0) }
                if problem != nil { uncallable += 1 }
                let channels = [merged.voice ? "voice" : nil, merged.sms ? "sms" : nil].compactMap { $0 }
                rows.append([
                    UUID(timeOrderedAt: now), campaign.id!, merged.number, problem,
                    customers.map(\.lowercaseText).joined(separator: ","), zone.identifier, merged.attempts,
                    merged.first, merged.last, channels.joined(separator: ","), merged.explicit, care,
                    merged.explicit ? 0 : care ? 1 : 2,
                    (problem == nil ? CampaignCall.State.due : .uncallable).rawValue,
                    problem == nil ? plan.window.nextOpening(atOrAfter: now, in: zone) : nil, 0, false,
                ])
            }
        }
        campaign.callable = kept.count - uncallable
        campaign.uncallable = uncallable
        let stored = campaign
        let prepared = rows
        try await db.writeTransaction { db in
            try await stored.create(on: db)
            for start in stride(from: 0, to: prepared.count, by: chunk) {
                var insert = try db.sqlDatabase.insert(into: CampaignCall.schema).columns(
                    "id", "campaign_id", "number", "problem", "customer_ids", "zone", "attempts", "first_attempt_at",
                    "last_attempt_at", "channels", "explicit", "care", "priority", "state", "due_at", "tries",
                    "reached")
                for row in prepared[start..<min(start + chunk, prepared.count)] { insert = insert.values(row) }
                try await insert.run()
            }
            try await AuditEntry.record(
                on: db, at: now, actor: author, action: "campaign.generated", recordType: "campaign",
                recordID: stored.id, programID: programID,
                detail: "\(stored.callable) to call, \(stored.uncallable) cannot be called, "
                    + "\(stored.gotThrough) got through since")
        }
        return campaign
    }

    /// Every number's merged attempts in the window, with when it last got through (if it did since the window
    /// opened). Streamed row by row into compact values: a million call records make a few hundred thousand.
    private static func merged(
        _ plan: Plan, programID: UUID, on db: any Database
    ) async throws -> [(Merged, Date?)] {
        let from = plan.windowStart
        let until = plan.windowEnd
        let requests: SQLQueryString =
            if let incident = plan.incidentID {
                "incident_id = \(bind: incident)"
            } else {
                "incident_id IS NOT NULL AND created_at >= \(bind: from) AND created_at < \(bind: until)"
            }
        let query: SQLQueryString = """
            WITH attempts AS (
                SELECT MIN(from_address) AS number, MIN(from_problem) AS problem, MIN(started_at) AS at,
                    1 AS voice, 0 AS sms, 0 AS explicit
                FROM call_records
                WHERE program_id = \(bind: programID) AND started_at >= \(bind: from) AND started_at < \(bind: until)
                GROUP BY attempt_key HAVING MAX(CASE WHEN answered THEN 1 ELSE 0 END) = 0
                UNION ALL
                SELECT from_address, from_problem, arrived_at, CASE WHEN channel = 'voice' THEN 1 ELSE 0 END,
                    CASE WHEN channel = 'sms' THEN 1 ELSE 0 END, 0
                FROM contacts
                WHERE program_id = \(bind: programID) AND direction = 'inbound' AND status IN ('abandoned', 'failed')
                    AND channel IN ('voice', 'sms') AND arrived_at >= \(bind: from) AND arrived_at < \(bind: until)
                UNION ALL
                SELECT number, NULL, created_at, 1, 0, 1
                FROM callbacks
                WHERE program_id = \(bind: programID) AND status = 'open' AND \(requests)
            ), merged AS (
                SELECT number, MIN(problem) AS problem, COUNT(*) AS attempts, MIN(at) AS first_at,
                    MAX(at) AS last_at, MAX(voice) AS voice, MAX(sms) AS sms, MAX(explicit) AS explicit
                FROM attempts GROUP BY number
            ), got AS (
                SELECT from_address AS number, MAX(started_at) AS at
                FROM call_records
                WHERE program_id = \(bind: programID) AND answered AND started_at >= \(bind: from)
                GROUP BY from_address
                UNION ALL
                SELECT from_address, MAX(answered_at)
                FROM contacts
                WHERE program_id = \(bind: programID) AND direction = 'inbound' AND answered_at IS NOT NULL
                    AND arrived_at >= \(bind: from)
                GROUP BY from_address
                UNION ALL
                SELECT to_address, MAX(answered_at)
                FROM contacts
                WHERE program_id = \(bind: programID) AND direction = 'outbound' AND answered_at IS NOT NULL
                    AND arrived_at >= \(bind: from)
                GROUP BY to_address
            ), last_got AS (
                SELECT number, MAX(at) AS at FROM got GROUP BY number
            )
            SELECT m.number, m.problem, m.attempts, m.first_at, m.last_at, m.voice, m.sms, m.explicit,
                g.at AS got_at
            FROM merged m LEFT JOIN last_got g ON g.number = m.number
            """
        let rows = Mutex<[(Merged, Date?)]>([])
        let failure = Mutex<(any Error)?>(nil)
        try await db.sqlDatabase.execute(sql: query) { row in
            do {
                let merged = Merged(
                    number: try row.decode(column: "number", as: String.self),
                    problem: try row.decode(column: "problem", as: String?.self),
                    attempts: try row.decode(column: "attempts", as: Int.self),
                    first: try row.decode(column: "first_at", as: Date.self),
                    last: try row.decode(column: "last_at", as: Date.self),
                    voice: try row.decode(column: "voice", as: Int.self) == 1,
                    sms: try row.decode(column: "sms", as: Int.self) == 1,
                    explicit: try row.decode(column: "explicit", as: Int.self) == 1)
                let got = try row.decode(column: "got_at", as: Date?.self)
                rows.withLock { $0.append((merged, got)) }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return rows.withLock { $0 }
    }

    /// What the program knows about a chunk of numbers: their customers (with zones and care notes) and the
    /// do-not-call list's reasons.
    struct Facts {
        var customers: [String: [UUID]] = [:]
        var zones: [UUID: String] = [:]
        var care: Set<UUID> = []
        var doNotCall: [String: String] = [:]

        static func load(_ numbers: [String], program: UUID, on db: any Database) async throws -> Facts {
            var facts = Facts()
            let sql = try db.sqlDatabase
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
