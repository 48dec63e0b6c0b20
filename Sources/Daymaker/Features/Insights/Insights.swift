import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// A program's insights over a range of days: the contact metrics from the roll-ups (see `InsightRollups`),
/// surveys, kudos, callbacks and root causes from their own tables.
enum Insights {
    /// The program's insights over the range (of one rep, when it names one).
    static func dashboard(_ program: Program, _ range: InsightRange, on db: any Database) async throws -> InsightsDTO {
        let programID = try program.requireID()
        let sql = try db.sqlDatabase
        let settings = try await RoutingSettings.load(programID: programID, on: db)
        let rules = settings.insightRules
        let sums = SQLRaw(ContactCounters.sums)
        let repFilter: SQLQueryString = range.rep.map { "AND rep_id = \(bind: $0)" } ?? ""

        var byDay: [InsightsDTO.Day] = []
        var totals = ContactCounters()
        for row in try await sql.raw(
            """
            SELECT day, \(sums) FROM \(ident: range.rep == nil ? InsightRollups.hours : InsightRollups.reps)
            WHERE program_id = \(bind: programID) AND day >= \(bind: range.from) AND day <= \(bind: range.to)
            \(repFilter) GROUP BY day ORDER BY day
            """
        ).all() {
            let counters = try ContactCounters(summed: row)
            totals += counters
            byDay.append(.init(day: try row.decode(column: "day", as: String.self), metrics: .init(counters, rules)))
        }

        var byRep: [InsightsDTO.Rep] = []
        let repRows = try await sql.raw(
            """
            SELECT rep_id, \(sums) FROM insight_reps
            WHERE program_id = \(bind: programID) AND day >= \(bind: range.from) AND day <= \(bind: range.to)
            AND rep_id IS NOT NULL \(repFilter) GROUP BY rep_id
            """
        ).all()
        let reps = try repRows.map { (try $0.decode(column: "rep_id", as: UUID.self), try ContactCounters(summed: $0)) }
        let names = try await User.displayNames(Set(reps.map(\.0)), on: db)
        byRep = reps.map { .init(repId: $0.0, rep: names[$0.0] ?? "A former rep", metrics: .init($0.1, rules)) }
            .sorted { ($0.rep, $0.repId.uuidString) < ($1.rep, $1.repId.uuidString) }

        return InsightsDTO(
            program: program.code, from: range.from, to: range.to, repId: range.rep,
            targetAnswerSeconds: Int(settings.targetAnswer), shortAbandonSeconds: Int(settings.shortAbandon),
            abandonsBeforeTarget: settings.abandonsBeforeTarget, totals: .init(totals, rules),
            byHour: try await byHour(programID, range, zone: program.zone, on: sql), byDay: byDay, byRep: byRep,
            feedback: try await feedback(programID, range, on: sql),
            callbacks: try await callbacks(programID, range, on: sql),
            rootCauses: try await rootCauses(programID, range, zone: program.zone, on: sql))
    }

    /// Campaign calls after incidents finished in the range (a campaign is the program's; a rep's own calls when
    /// the range names a rep).
    private static func callbacks(
        _ programID: UUID, _ range: InsightRange, on sql: any SQLDatabase
    ) async throws -> InsightsDTO.Callbacks {
        let repFilter: SQLQueryString = range.rep.map { "AND k.claimed_by = \(bind: $0)" } ?? ""
        var reached: [TimeInterval] = []
        var notReached = 0
        for row in try await sql.raw(
            """
            SELECT k.reached, k.first_attempt_at, k.finished_at FROM campaign_calls k
            JOIN campaigns c ON c.id = k.campaign_id
            WHERE c.program_id = \(bind: programID) AND c.incident_id IS NOT NULL AND k.state IN ('done', 'uncallable')
            AND k.finished_at >= \(bind: range.start) AND k.finished_at < \(bind: range.end) \(repFilter)
            """
        ).all() {
            if try row.decode(column: "reached", as: Bool.self) {
                let first = try row.decode(column: "first_attempt_at", as: Date.self)
                reached.append(try row.decode(column: "finished_at", as: Date.self).timeIntervalSince(first))
            } else {
                notReached += 1
            }
        }
        return InsightsDTO.Callbacks(
            reached: reached.count, notReached: notReached,
            averageHoursToReach: reached.isEmpty ? nil : reached.reduce(0, +) / Double(reached.count) / 3600,
            reachedWithinADay: reached.isEmpty
                ? nil : Double(reached.filter { $0 <= 86_400 }.count) / Double(reached.count))
    }

    /// Where a root cause was named: a contact's wrap-up, a survey answer, a challenge's closing.
    private enum CauseSource { case contact, survey, challenge }

    /// The root causes reps named in wrap-up of contacts that arrived in the range (from the roll-ups), customers
    /// gave in surveys answered in it and challenges recorded when they closed in it, most named first, with their
    /// count by ISO week.
    private static func rootCauses(
        _ programID: UUID, _ range: InsightRange, zone: TimeZone, on sql: any SQLDatabase
    ) async throws -> [InsightsDTO.RootCause] {
        let repFilter: SQLQueryString = range.rep.map { "AND rep_id = \(bind: $0)" } ?? ""
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        var named: [(cause: String, at: Date, source: CauseSource, count: Int)] = []
        for row in try await sql.raw(
            """
            SELECT day, cause, CAST(SUM(contacts) AS BIGINT) AS contacts FROM insight_causes
            WHERE program_id = \(bind: programID) AND day >= \(bind: range.from) AND day <= \(bind: range.to)
            \(repFilter) GROUP BY day, cause
            """
        ).all() {
            guard let day = LocalTime.dayStart(try row.decode(column: "day", as: String.self), zone: zone) else {
                continue
            }
            named.append(
                (
                    try row.decode(column: "cause", as: String.self), day, .contact,
                    try row.decode(column: "contacts", as: Int.self)
                ))
        }
        for row in try await sql.raw(
            """
            SELECT root_causes, answered_at FROM surveys WHERE program_id = \(bind: programID)
            AND root_causes IS NOT NULL AND answered_at >= \(bind: range.start) AND answered_at < \(bind: range.end)
            \(repFilter)
            """
        ).all() {
            let at = try row.decode(column: "answered_at", as: Date.self)
            for cause in Vocabulary.stored(try row.decode(column: "root_causes", as: String.self)) {
                named.append((cause, at, .survey, 1))
            }
        }
        if range.rep == nil {
            for row in try await sql.raw(
                """
                SELECT c.root_causes, c.closed_at FROM challenges c JOIN challenge_programs p ON p.challenge_id = c.id
                WHERE p.program_id = \(bind: programID) AND c.root_causes IS NOT NULL
                AND c.closed_at >= \(bind: range.start) AND c.closed_at < \(bind: range.end)
                """
            ).all() {
                let at = try row.decode(column: "closed_at", as: Date.self)
                for cause in Vocabulary.stored(try row.decode(column: "root_causes", as: String.self)) {
                    named.append((cause, at, .challenge, 1))
                }
            }
        }
        return Dictionary(grouping: named, by: \.cause).map { cause, uses in
            func count(_ source: CauseSource) -> Int { uses.filter { $0.source == source }.map(\.count).reduce(0, +) }
            let weeks = Dictionary(grouping: uses) { use in
                let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: use.at)
                return String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
            }
            return InsightsDTO.RootCause(
                cause: cause, contacts: count(.contact), surveys: count(.survey), challenges: count(.challenge),
                byWeek: weeks.map { .init(week: $0.key, count: $0.value.map(\.count).reduce(0, +)) }
                    .sorted { $0.week < $1.week })
        }.sorted { ($0.total, $1.cause) > ($1.total, $0.cause) }
    }

    /// Contacts by hour of the day (in the program's zone) and channel: the program's from the roll-ups; one rep's
    /// from their contacts (a rep's are few).
    private static func byHour(
        _ programID: UUID, _ range: InsightRange, zone: TimeZone, on sql: any SQLDatabase
    ) async throws -> [InsightsDTO.HourCount] {
        var counts: [InsightRollups.HourKey: Int] = [:]
        if let rep = range.rep {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            for row in try await sql.raw(
                """
                SELECT channel, arrived_at FROM contacts WHERE rep_id = \(bind: rep) AND program_id = \(bind: programID)
                AND arrived_at >= \(bind: range.start) AND arrived_at < \(bind: range.end)
                """
            ).all() {
                let hour = calendar.component(.hour, from: try row.decode(column: "arrived_at", as: Date.self))
                counts[.init(hour: hour, channel: try row.decode(column: "channel", as: String.self)), default: 0] += 1
            }
        } else {
            for row in try await sql.raw(
                """
                SELECT hour, channel, CAST(SUM(contacts) AS BIGINT) AS contacts FROM insight_hours
                WHERE program_id = \(bind: programID) AND day >= \(bind: range.from) AND day <= \(bind: range.to)
                GROUP BY hour, channel
                """
            ).all() {
                counts[
                    .init(
                        hour: try row.decode(column: "hour", as: Int.self),
                        channel: try row.decode(column: "channel", as: String.self))] = try row.decode(
                        column: "contacts", as: Int.self)
            }
        }
        return counts.map { .init(hour: $0.key.hour, channel: $0.key.channel, contacts: $0.value) }
            .sorted { ($0.hour, $0.channel) < ($1.hour, $1.channel) }
    }

    /// Surveys sent in the range and their answers; kudos given in it.
    private static func feedback(
        _ programID: UUID, _ range: InsightRange, on sql: any SQLDatabase
    ) async throws -> InsightsDTO.Feedback {
        let repFilter: SQLQueryString = range.rep.map { "AND rep_id = \(bind: $0)" } ?? ""
        let surveys = try await sql.raw(
            """
            SELECT CAST(COUNT(*) AS BIGINT) AS invited,
            CAST(SUM(CASE WHEN status = 'answered' THEN 1 ELSE 0 END) AS BIGINT) AS answered,
            CAST(SUM(CASE WHEN status = 'answered' THEN score ELSE 0 END) AS BIGINT) AS scores,
            CAST(SUM(CASE WHEN status = 'answered' AND score >= 4 THEN 1 ELSE 0 END) AS BIGINT) AS satisfied
            FROM surveys WHERE program_id = \(bind: programID) AND status IN ('invited', 'answered')
            AND created_at >= \(bind: range.start) AND created_at < \(bind: range.end) \(repFilter)
            """
        ).first()
        let kudos = try await sql.raw(
            """
            SELECT CAST(COUNT(*) AS BIGINT) AS kudos FROM kudos WHERE program_id = \(bind: programID)
            AND created_at >= \(bind: range.start) AND created_at < \(bind: range.end) \(repFilter)
            """
        ).first()
        let invited = try surveys?.decode(column: "invited", as: Int?.self) ?? 0
        let answered = try surveys?.decode(column: "answered", as: Int?.self) ?? 0
        let scores = try surveys?.decode(column: "scores", as: Int?.self) ?? 0
        let satisfied = try surveys?.decode(column: "satisfied", as: Int?.self) ?? 0
        return InsightsDTO.Feedback(
            invited: invited, answered: answered,
            responseRate: invited == 0 ? nil : Double(answered) / Double(invited),
            averageScore: answered == 0 ? nil : Double(scores) / Double(answered),
            csat: answered == 0 ? nil : Double(satisfied) / Double(answered),
            kudos: try kudos?.decode(column: "kudos", as: Int?.self) ?? 0)
    }
}
