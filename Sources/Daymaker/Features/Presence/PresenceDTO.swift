import DaymakerCore
import Foundation
import Vapor

/// A rep's presence as the API shows it.
struct PresenceDTO: Content, Equatable {
    @LowercaseID var userId: UUID
    var state: Presence
    /// Nil when the rep has never been anything but offline.
    var since: Date?
    /// When a wrap-up ends.
    var until: Date?

    init(userID: UUID, state: Presence, since: Date?, until: Date? = nil) {
        userId = userID
        self.state = state
        self.since = since
        self.until = until
    }

    init(userID: UUID, _ record: PresenceRecord?) {
        self.init(userID: userID, state: record?.state ?? .offline, since: record?.since, until: record?.until)
    }
}

/// One rep on a program's presence board: presence, and whether they are on shift or when the next one starts.
struct PresenceBoardEntry: Content, Equatable {
    @LowercaseID var userId: UUID
    var displayName: String
    var role: Role
    var state: Presence
    var since: Date?
    var until: Date?
    var onShift: Bool
    /// The shift running now, or the next one; nil when the rep has no shifts in this program.
    var shift: ShiftInterval?

    init(user: User, presence: PresenceRecord?, plan: ShiftPlan, now: Date) throws {
        let dto = PresenceDTO(userID: try user.requireID(), presence)
        userId = dto.userId
        displayName = user.displayName
        role = user.role
        state = dto.state
        since = dto.since
        until = dto.until
        let interval = plan.current(orNextAfter: now)
        onShift = interval.map { $0.start <= now } ?? false
        shift = interval.map(ShiftInterval.init)
    }
}

struct ShiftInterval: Content, Equatable {
    var start: Date
    var end: Date

    init(_ interval: DateInterval) {
        start = interval.start
        end = interval.end
    }
}

/// A weekly shift as people write it: `{"weekday": 1, "start": "09:00", "end": "17:30"}` (1 = Monday, times in
/// the program's zone; an end at or before the start is the next morning; `24:00` is midnight at the end).
struct ShiftDTO: Content, Equatable {
    var weekday: Int
    var start: String
    var end: String

    init(weekday: Int, start: String, end: String) {
        self.weekday = weekday
        self.start = start
        self.end = end
    }

    init(_ shift: ShiftPlan.Shift) {
        weekday = shift.weekday
        start = Self.clock(shift.start)
        end = Self.clock(shift.end)
    }

    /// The shift, or what is wrong with it under `field`.
    func shift(field: String, into v: inout FieldValidator) -> ShiftPlan.Shift? {
        guard let start = Self.minutes(start, allowingMidnightEnd: false) else {
            v.add("\(field).start", "must be a time of day like 09:00")
            return nil
        }
        guard let end = Self.minutes(end, allowingMidnightEnd: true) else {
            v.add("\(field).end", "must be a time of day like 17:30 (or 24:00)")
            return nil
        }
        let shift = ShiftPlan.Shift(weekday: weekday, start: start, end: end)
        if let problem = shift.problem { v.add(field, problem) }
        return shift
    }

    static func clock(_ minutes: Int) -> String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    static func minutes(_ text: String, allowingMidnightEnd: Bool) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hours = Int(parts[0]), let minutes = Int(parts[1]), (0..<60).contains(minutes)
        else { return nil }
        if allowingMidnightEnd, hours == 24, minutes == 0 { return 1440 }
        guard (0..<24).contains(hours) else { return nil }
        return hours * 60 + minutes
    }
}

/// A rep's week in one program.
struct ShiftsDTO: Content, Equatable {
    @LowercaseID var userId: UUID
    var program: String
    var timeZone: String
    var shifts: [ShiftDTO]
    var onShift: Bool
    /// The shift running now, or the next one; nil without shifts.
    var shift: ShiftInterval?

    init(userID: UUID, program: Program, plan: ShiftPlan, now: Date) {
        userId = userID
        self.program = program.code
        timeZone = program.timeZone
        shifts = plan.shifts.map(ShiftDTO.init)
        let interval = plan.current(orNextAfter: now)
        onShift = interval.map { $0.start <= now } ?? false
        shift = interval.map(ShiftInterval.init)
    }
}

struct PresenceRequest: Content {
    var state: Presence
}

struct ShiftsRequest: Content {
    var program: String
    var shifts: [ShiftDTO]
}
