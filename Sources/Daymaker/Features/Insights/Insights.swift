import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// What a range of days asks for: a program, from and to (days in the program's zone, both included), and
/// optionally one rep.
struct InsightRange: Sendable {
    var from: String
    var to: String
    var start: Date
    var end: Date
    var rep: UUID?

    static let longest = 366

    /// The range asked for (`from`, `to` as `2026-12-05`), by default the last 7 days up to today; refused when a
    /// day is not a date, `to` is before `from`, or it is longer than a year.
    static func read(
        from: String?, to: String?, rep: UUID?, zone: TimeZone, now: Date
    ) throws(ValidationFailure) -> InsightRange {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: now)
        var v = FieldValidator()
        let start =
            from.map { LocalTime.dayStart($0, zone: zone) } ?? calendar.date(byAdding: .day, value: -6, to: today)
        let last = to.map { LocalTime.dayStart($0, zone: zone) } ?? today
        v.check(start != nil, "from", "is not a day such as 2026-12-01")
        v.check(last != nil, "to", "is not a day such as 2026-12-07")
        if let start, let last {
            let days = calendar.dateComponents([.day], from: start, to: last).day ?? 0
            v.check(days >= 0, "to", "is before from")
            v.check(days < longest, "to", "is more than \(longest) days after from")
        }
        try v.finish()
        let end = calendar.date(byAdding: .day, value: 1, to: last!)!
        return InsightRange(
            from: LocalTime.day(start!, zone: zone), to: LocalTime.day(last!, zone: zone), start: start!, end: end,
            rep: rep)
    }
}

/// A program's insights over a range of days, from the roll-ups (contacts) and the surveys and kudos themselves.
struct InsightsDTO: Content, Equatable {
    /// The contact metrics of a set of contacts; see the definitions in `docs/insights.md` and on the page.
    struct Metrics: Content, Equatable {
        var contacts: Int
        var offered: Int
        var answered: Int
        var abandoned: Int
        var shortAbandoned: Int
        var handled: Int
        var averageSpeedOfAnswerSeconds: Double?
        var serviceLevel: Double?
        var abandonmentRate: Double?
        var averageHandleTimeSeconds: Double?
        var firstContactResolution: Double?
        var heated: Int
        var abusive: Int

        init(_ counters: ContactCounters, _ rules: InsightRules) {
            contacts = counters.contacts
            offered = counters.offered
            answered = counters.answered
            abandoned = counters.abandoned
            shortAbandoned = counters.shortAbandoned
            handled = counters.handled
            averageSpeedOfAnswerSeconds = counters.averageSpeedOfAnswer
            serviceLevel = counters.serviceLevel(rules.abandonsBeforeTarget)
            abandonmentRate = counters.abandonmentRate
            averageHandleTimeSeconds = counters.averageHandleTime
            firstContactResolution = counters.firstContactResolution
            heated = counters.heated
            abusive = counters.abusive
        }
    }

    struct HourCount: Content, Equatable {
        var hour: Int
        var channel: String
        var contacts: Int
    }

    struct Day: Content, Equatable {
        var day: String
        var metrics: Metrics
    }

    struct Rep: Content, Equatable {
        @LowercaseID var repId: UUID
        var rep: String
        var metrics: Metrics
    }

    struct Feedback: Content, Equatable {
        /// Invitations sent in the range (email, text message or voice).
        var invited: Int
        /// … of which answered.
        var answered: Int
        var responseRate: Double?
        /// The average score (1–5) of the answers.
        var averageScore: Double?
        /// CSAT: the share of answers scoring 4 or 5.
        var csat: Double?
        /// Thanks that reached reps: from customers, peers and supervisors.
        var kudos: Int
    }

    /// The callback campaigns after incidents: the numbers that could not get through, and how soon they were
    /// reached (from the first missed attempt to the call that reached them), of those finished in the range.
    struct Callbacks: Content, Equatable {
        var reached: Int
        /// Called and not reached, or could not be called.
        var notReached: Int
        var averageHoursToReach: Double?
        /// The share reached within 24 hours of their first missed attempt.
        var reachedWithinADay: Double?
    }

    /// A root cause named in survey answers and challenge closings in the range, with its count by ISO week.
    struct RootCause: Content, Equatable {
        var cause: String
        var surveys: Int
        var challenges: Int
        var byWeek: [Week]

        struct Week: Content, Equatable {
            var week: String
            var count: Int
        }
    }

    var program: String
    var from: String
    var to: String
    @LowercaseID var repId: UUID?
    var targetAnswerSeconds: Int
    var shortAbandonSeconds: Int
    var abandonsBeforeTarget: AbandonsBeforeTarget
    var totals: Metrics
    var byHour: [HourCount]
    var byDay: [Day]
    var byRep: [Rep]
    var feedback: Feedback
    var callbacks: Callbacks
    var rootCauses: [RootCause]
}

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

    /// The root causes customers gave in surveys answered in the range and those recorded when challenges closed
    /// in it, most named first, with their count by ISO week.
    private static func rootCauses(
        _ programID: UUID, _ range: InsightRange, zone: TimeZone, on sql: any SQLDatabase
    ) async throws -> [InsightsDTO.RootCause] {
        let repFilter: SQLQueryString = range.rep.map { "AND rep_id = \(bind: $0)" } ?? ""
        var named: [(cause: String, at: Date, survey: Bool)] = []
        for row in try await sql.raw(
            """
            SELECT root_causes, answered_at FROM surveys WHERE program_id = \(bind: programID)
            AND root_causes IS NOT NULL AND answered_at >= \(bind: range.start) AND answered_at < \(bind: range.end)
            \(repFilter)
            """
        ).all() {
            let at = try row.decode(column: "answered_at", as: Date.self)
            for cause in try row.decode(column: "root_causes", as: String.self).split(separator: ",") {
                named.append((String(cause), at, true))
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
                for cause in try row.decode(column: "root_causes", as: String.self).split(separator: ",") {
                    named.append((String(cause), at, false))
                }
            }
        }
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        return Dictionary(grouping: named, by: \.cause).map { cause, uses in
            let weeks = Dictionary(grouping: uses) { use in
                let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: use.at)
                return String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
            }
            return InsightsDTO.RootCause(
                cause: cause, surveys: uses.filter(\.survey).count, challenges: uses.filter { !$0.survey }.count,
                byWeek: weeks.map { .init(week: $0.key, count: $0.value.count) }.sorted { $0.week < $1.week })
        }.sorted { ($0.surveys + $0.challenges, $1.cause) > ($1.surveys + $1.challenges, $0.cause) }
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

/// `GET /api/v1/programs/{id}/insights?from=&to=&rep=`: the program's supervisors (and admins); a rep, their own.
struct InsightsController: RouteCollection {
    struct Query: Content {
        var from: String?
        var to: String?
        var rep: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("programs", ":programID", "insights", use: show)
    }

    @Sendable func show(req: Request) async throws -> InsightsDTO {
        let principal = try req.requirePrincipal()
        let program = try await ProgramController.visibleProgram(req, principal)
        let asked = try req.query.decode(Query.self)
        var rep: UUID?
        if let text = asked.rep {
            guard let id = UUID(uuidString: text) else { throw ValidationFailure(field: "rep", "is not a user id") }
            rep = id
        }
        if rep != principal.userID { try principal.require(.supervisor) }
        // A day sent empty is refused here; the page reads an empty date field as the default.
        let range = try InsightRange.read(
            from: asked.from, to: asked.to, rep: rep, zone: program.zone, now: req.now)
        return try await Insights.dashboard(program, range, on: req.db)
    }
}
