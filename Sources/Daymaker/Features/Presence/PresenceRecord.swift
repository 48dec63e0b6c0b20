import DaymakerCore
import Fluent
import Foundation

/// A rep's presence now: one row per user who has ever set one (no row is `offline`).
final class PresenceRecord: Model, @unchecked Sendable {
    static let schema = "rep_presence"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "state") var state: Presence
    @Field(key: "since") var since: Date
    /// The end of a wrap-up; nil in any other state.
    @OptionalField(key: "until") var until: Date?

    init() {}
}

/// Every presence change, timestamped: what the desk's "time in state" and, later, insights read.
final class PresenceChange: Model, @unchecked Sendable {
    static let schema = "presence_changes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "state") var state: Presence
    @Field(key: "at") var at: Date
    /// Who changed it: the rep, a supervisor, or nil when Daymaker did (a contact offered, answered or ended).
    @OptionalField(key: "changed_by") var changedBy: UUID?

    init() {}

    init(user: UUID, state: Presence, at: Date, changedBy: UUID?) {
        self.$user.id = user
        self.state = state
        self.at = at
        self.changedBy = changedBy
    }
}

/// One weekly shift of a rep in a program, in the program's time zone (see `ShiftPlan`).
final class RepShift: Model, @unchecked Sendable {
    static let schema = "rep_shifts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Parent(key: "program_id") var program: Program
    /// 1 = Monday … 7 = Sunday.
    @Field(key: "weekday") var weekday: Int
    /// Minutes after midnight; an `end` at or before `start` ends the next day.
    @Field(key: "start_minute") var start: Int
    @Field(key: "end_minute") var end: Int

    init() {}

    var shift: ShiftPlan.Shift { .init(weekday: weekday, start: start, end: end) }
}
