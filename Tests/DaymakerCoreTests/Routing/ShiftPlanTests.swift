import Foundation
import Testing

@testable import DaymakerCore

@Suite struct ShiftPlanTests {
    static let chicago = TimeZone(identifier: "America/Chicago")!
    static func date(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }

    /// Monday to Friday 9:00–17:00 and Saturday 22:00–02:00 (overnight), in Chicago.
    static let plan = ShiftPlan(
        shifts: (1...5).map { .init(weekday: $0, start: 9 * 60, end: 17 * 60) } + [
            .init(weekday: 6, start: 22 * 60, end: 120)
        ],
        timeZone: chicago)

    @Test(arguments: [
        // Thursday 3 December 2026, 10:00 Chicago (16:00Z): on shift until 17:00.
        ("2026-12-03T16:00:00Z", "2026-12-03T15:00:00Z", "2026-12-03T23:00:00Z", true),
        // Thursday 18:00 Chicago: back Friday at 9.
        ("2026-12-04T00:00:00Z", "2026-12-04T15:00:00Z", "2026-12-04T23:00:00Z", false),
        // Friday 20:00 Chicago: next is Saturday's night shift at 22:00.
        ("2026-12-05T02:00:00Z", "2026-12-06T04:00:00Z", "2026-12-06T08:00:00Z", false),
        // Sunday 01:00 Chicago: Saturday's overnight shift is still running.
        ("2026-12-06T07:00:00Z", "2026-12-06T04:00:00Z", "2026-12-06T08:00:00Z", true),
        // Sunday 03:00 Chicago: back Monday at 9.
        ("2026-12-06T09:00:00Z", "2026-12-07T15:00:00Z", "2026-12-07T23:00:00Z", false),
    ])
    func knowsTheCurrentOrNextShift(_ now: String, _ start: String, _ end: String, _ onShift: Bool) throws {
        let date = try #require(Self.date(now))
        let shift = try #require(Self.plan.current(orNextAfter: date))
        #expect(shift.start == Self.date(start))
        #expect(shift.end == Self.date(end))
        #expect(Self.plan.isOnShift(at: date) == onShift)
    }

    @Test func noShiftsMeansNoNextShift() {
        #expect(ShiftPlan(shifts: [], timeZone: Self.chicago).current(orNextAfter: Date()) == nil)
    }

    @Test func aShiftSaysWhatIsWrongWithIt() {
        #expect(ShiftPlan.Shift(weekday: 0, start: 0, end: 60).problem?.contains("weekday") == true)
        #expect(ShiftPlan.Shift(weekday: 1, start: 1440, end: 60).problem?.contains("within the day") == true)
        #expect(ShiftPlan.Shift(weekday: 1, start: 60, end: 60).problem != nil)
        #expect(ShiftPlan.Shift(weekday: 7, start: 1380, end: 60).problem == nil)
    }
}
