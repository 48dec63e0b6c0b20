import DaymakerCore
import Foundation
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

    /// A root cause named in wrap-ups of contacts, survey answers and challenge closings in the range, with its
    /// count by ISO week.
    struct RootCause: Content, Equatable {
        var cause: String
        var contacts: Int
        var surveys: Int
        var challenges: Int
        var byWeek: [Week]

        var total: Int { contacts + surveys + challenges }

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
