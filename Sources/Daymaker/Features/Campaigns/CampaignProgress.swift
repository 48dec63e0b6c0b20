import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Where a campaign stands: how many calls, how many done and reached, how many due now and held, who called
/// how many, and when it will be done at the last hour's pace.
struct CampaignProgress: Content, Equatable {
    struct Caller: Content, Equatable {
        @LowercaseID var repId: UUID?
        var name: String
        var calls: Int
        var reached: Int
    }

    var total: Int
    var done: Int
    var reached: Int
    /// Reached among the numbers called at least once, in whole per cent.
    var reachedPercent: Int
    var called: Int
    var dueNow: Int
    var held: Int
    var uncallable: Int
    var callsLastHour: Int
    var estimatedCompletion: Date?
    var callers: [Caller]

    static func load(_ campaign: Campaign, now: Date, on db: any Database) async throws -> CampaignProgress {
        let id = try campaign.requireID()
        let sql = try db.sqlDatabase
        let counts = try await sql.raw(
            """
            SELECT COUNT(*) AS total,
                SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END) AS done,
                SUM(CASE WHEN reached THEN 1 ELSE 0 END) AS reached,
                SUM(CASE WHEN tries > 0 THEN 1 ELSE 0 END) AS called,
                SUM(CASE WHEN state = 'due' AND due_at <= \(bind: now) THEN 1 ELSE 0 END) AS due_now,
                SUM(CASE WHEN state = 'due' AND claimed_by IS NOT NULL AND due_at > \(bind: now) THEN 1 ELSE 0 END)
                    AS held,
                SUM(CASE WHEN state = 'uncallable' THEN 1 ELSE 0 END) AS uncallable
            FROM campaign_calls WHERE campaign_id = \(bind: id)
            """
        ).first()
        func count(_ column: String) throws -> Int { try counts?.decode(column: column, as: Int?.self) ?? 0 }
        let uncallable = try count("uncallable")
        let total = try count("total") - uncallable
        let done = try count("done")
        let reached = try count("reached")
        let called = try count("called")
        let lastHour = try await CampaignAttempt.query(on: db).filter(\.$campaignID == id)
            .filter(\.$at > now.addingTimeInterval(-3600)).count()
        var callers: [Caller] = []
        for row in try await sql.raw(
            """
            SELECT a.rep_id, u.display_name, COUNT(*) AS calls, SUM(CASE WHEN a.reached THEN 1 ELSE 0 END) AS reached
            FROM campaign_attempts a LEFT JOIN users u ON u.id = a.rep_id
            WHERE a.campaign_id = \(bind: id) GROUP BY a.rep_id, u.display_name ORDER BY calls DESC
            """
        ).all() {
            callers.append(
                Caller(
                    repId: try row.decode(column: "rep_id", as: UUID?.self),
                    name: try row.decode(column: "display_name", as: String?.self) ?? "A former user",
                    calls: try row.decode(column: "calls", as: Int.self),
                    reached: try row.decode(column: "reached", as: Int?.self) ?? 0))
        }
        let remaining = total - done
        return CampaignProgress(
            total: total, done: done, reached: reached,
            reachedPercent: called == 0 ? 0 : reached * 100 / called, called: called, dueNow: try count("due_now"),
            held: try count("held"), uncallable: uncallable, callsLastHour: lastHour,
            estimatedCompletion: remaining > 0 && lastHour > 0
                ? now.addingTimeInterval(Double(remaining) / Double(lastHour) * 3600) : nil,
            callers: callers)
    }
}
