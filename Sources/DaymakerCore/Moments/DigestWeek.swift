import Foundation

/// An ISO 8601 week (`2026-W49`, Monday to Sunday, in UTC): what a management digest covers.
public struct DigestWeek: Sendable, Equatable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = .gmt
        return calendar
    }

    /// The week an instant falls in.
    public init(containing date: Date) {
        let parts = Self.calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        year = parts.yearForWeekOfYear ?? 1970
        week = parts.weekOfYear ?? 1
    }

    /// `2026-W49`; nil for anything else, or a week the year does not have.
    public init?(_ text: String) {
        let parts = text.split(separator: "-W", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let week = Int(parts[1]), (1970...9999).contains(year), (1...53).contains(week)
        else { return nil }
        self.year = year
        self.week = week
        // Week 53 exists only in some years: the week holding its Monday must be itself.
        guard DigestWeek(containing: start) == self else { return nil }
    }

    /// The week a reader asked for (`?week=2026-W49`), or the one `now` falls in when they did not ask.
    public static func requested(_ text: String?, now: Date) throws(ValidationFailure) -> DigestWeek {
        guard let text else { return DigestWeek(containing: now) }
        guard let week = DigestWeek(text) else {
            throw ValidationFailure(field: "week", "must be an ISO week such as 2026-W49")
        }
        return week
    }

    /// Monday 00:00 UTC.
    public var start: Date {
        Self.calendar.date(from: DateComponents(weekday: 2, weekOfYear: week, yearForWeekOfYear: year))
            ?? Date(
                timeIntervalSince1970: 0)
    }

    /// The next Monday 00:00 UTC.
    public var end: Date { start.addingTimeInterval(7 * 86_400) }

    public var description: String { "\(year)-W\(week < 10 ? "0" : "")\(week)" }
}
