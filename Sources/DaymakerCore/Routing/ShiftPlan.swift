import Foundation

/// A rep's weekly shifts in the program's time zone, so "Sarah is back tomorrow at 9" can be said and a callback
/// booked in her next shift.
public struct ShiftPlan: Equatable, Sendable {
    /// One weekly shift: a weekday (1 = Monday … 7 = Sunday, ISO 8601) and its hours as minutes after midnight. A
    /// shift may run past midnight (`end` ≤ `start`): it ends on the next day.
    public struct Shift: Equatable, Hashable, Sendable {
        public var weekday: Int
        public var start: Int
        public var end: Int

        public init(weekday: Int, start: Int, end: Int) {
            self.weekday = weekday
            self.start = start
            self.end = end
        }

        /// What is wrong with it, in words for the person who typed it; nil when it is fine.
        public var problem: String? {
            if !(1...7).contains(weekday) { return "weekday must be 1 (Monday) to 7 (Sunday)" }
            if !(0..<1440).contains(start) || !(0...1440).contains(end) { return "times must be within the day" }
            if start == end { return "a shift must not start and end at the same time" }
            return nil
        }
    }

    public var shifts: [Shift]
    public var timeZone: TimeZone

    public init(shifts: [Shift], timeZone: TimeZone) {
        self.shifts = shifts
        self.timeZone = timeZone
    }

    /// The shift running at `date` or the next one to start, as instants; nil without shifts.
    public func current(orNextAfter date: Date) -> DateInterval? {
        guard !shifts.isEmpty else { return nil }
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: date)
        var best: DateInterval?
        // Yesterday's overnight shift may still run; a week ahead finds the next start of any shift.
        for offset in -1...7 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: today) else { continue }
            let weekday = (calendar.component(.weekday, from: day) + 5) % 7 + 1  // Foundation: 1 = Sunday
            for shift in shifts where shift.weekday == weekday {
                guard let start = calendar.date(byAdding: .minute, value: shift.start, to: day),
                    let end = calendar.date(
                        byAdding: .minute, value: shift.end > shift.start ? shift.end : shift.end + 1440, to: day)
                else { continue }
                guard end > date else { continue }
                if best == nil || start < best!.start { best = DateInterval(start: start, end: end) }
            }
        }
        return best
    }

    /// Whether the rep is on shift at `date`.
    public func isOnShift(at date: Date) -> Bool {
        current(orNextAfter: date).map { $0.start <= date } ?? false
    }
}
