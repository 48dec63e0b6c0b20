import Foundation

/// When a campaign may call: hours of the day and days of the week, always in the customer's own time zone, so
/// nobody is rung at 7 in the morning because the center is two zones east, nor across a daylight-saving change.
public struct CallingWindow: Codable, Equatable, Sendable {
    /// Minutes after local midnight from which calls may be made, and at which they stop.
    public var opens: Int
    public var closes: Int
    /// ISO weekdays on which calls may be made: 1 is Monday, 7 is Sunday.
    public var days: [Int]

    /// Monday to Friday, 9:00 to 20:00.
    public static let weekdays = CallingWindow(stored: 9 * 60, closes: 20 * 60, days: [1, 2, 3, 4, 5])

    /// A window as stored, checked when it was made.
    public init(stored opens: Int, closes: Int, days: [Int]) {
        self.opens = opens
        self.closes = closes
        self.days = days
    }

    /// A window from `HH:MM` to `HH:MM` on the given weekdays.
    public init(opens: String, closes: String, days: [Int]) throws(ValidationFailure) {
        var errors = FieldValidator()
        let from = Self.minutes(opens)
        let until = Self.minutes(closes)
        errors.check(from != nil, "callingHours.opens", "must be a time of day such as 09:00")
        errors.check(until != nil, "callingHours.closes", "must be a time of day such as 20:00, or 24:00")
        if let from, let until { errors.check(from < until, "callingHours.closes", "must be after the opening time") }
        errors.check(!days.isEmpty, "callingHours.days", "must name at least one day")
        errors.check(days.allSatisfy((1...7).contains), "callingHours.days", "are 1 (Monday) to 7 (Sunday)")
        try errors.finish()
        self.init(stored: from!, closes: until!, days: Array(Set(days)).sorted())
    }

    /// `HH:MM` (24:00 is the end of the day) as minutes after midnight.
    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hours = Int(parts[0]), let minutes = Int(parts[1]), (0..<60).contains(minutes),
            (0..<24).contains(hours) || (hours == 24 && minutes == 0)
        else { return nil }
        return hours * 60 + minutes
    }

    /// `HH:MM` of a number of minutes after midnight.
    public static func text(_ minutes: Int) -> String {
        let hours = minutes / 60
        let rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    public var opensText: String { Self.text(opens) }
    public var closesText: String { Self.text(closes) }

    /// Whether a call may be made at `date` to someone in `zone`.
    public func isOpen(at date: Date, in zone: TimeZone) -> Bool {
        let calendar = Self.calendar(zone)
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        let minute = parts.hour! * 60 + parts.minute!
        return days.contains(Self.isoWeekday(parts.weekday!)) && opens <= minute && minute < closes
    }

    /// The first moment at or after `date` when a call may be made to someone in `zone`.
    public func nextOpening(atOrAfter date: Date, in zone: TimeZone) -> Date {
        if isOpen(at: date, in: zone) { return date }
        let calendar = Self.calendar(zone)
        let today = calendar.startOfDay(for: date)
        for offset in 0...8 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: today),
                days.contains(Self.isoWeekday(calendar.component(.weekday, from: day))),
                let opening = calendar.date(
                    bySettingHour: opens / 60, minute: opens % 60, second: 0, of: day, matchingPolicy: .nextTime)
            else { continue }
            if opening >= date { return opening }
        }
        // Unreachable with at least one day: a week always holds one of its openings.
        return date
    }

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// Foundation's weekday (1 is Sunday) as ISO's (1 is Monday).
    private static func isoWeekday(_ weekday: Int) -> Int { (weekday + 5) % 7 + 1 }
}
