import DaymakerCore
import Fluent
import Foundation

/// A callback campaign: everyone who tried to reach a program in a time window (an incident's, usually) and did
/// not get through, to be called back by whoever takes the next one.
final class Campaign: Model, @unchecked Sendable {
    static let schema = "campaigns"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @OptionalField(key: "incident_id") var incidentID: UUID?
    @Field(key: "title") var title: String
    /// The attempts it calls back: from `windowStart` up to, not including, `windowEnd`.
    @Field(key: "window_start") var windowStart: Date
    @Field(key: "window_end") var windowEnd: Date
    @Field(key: "opener") var opener: String
    /// The calling window (minutes after midnight and ISO weekdays, comma-separated), in each customer's zone.
    @Field(key: "calling_opens") var callingOpens: Int
    @Field(key: "calling_closes") var callingCloses: Int
    @Field(key: "calling_days") var callingDays: String
    @Field(key: "max_attempts") var maxAttempts: Int
    @Field(key: "spacing_minutes") var spacingMinutes: Int
    /// How long a claimed call is held before it returns to the pool.
    @Field(key: "claim_minutes") var claimMinutes: Int
    /// What generating it found: attempts read, numbers to call, numbers that cannot be called, numbers left out
    /// because they got through afterwards.
    @Field(key: "attempts") var attempts: Int
    @Field(key: "callable") var callable: Int
    @Field(key: "uncallable") var uncallable: Int
    @Field(key: "got_through") var gotThrough: Int
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var window: CallingWindow {
        get {
            CallingWindow(
                stored: callingOpens, closes: callingCloses,
                days: callingDays.split(separator: ",").compactMap { Int($0) })
        }
        set {
            callingOpens = newValue.opens
            callingCloses = newValue.closes
            callingDays = newValue.days.map(String.init).joined(separator: ",")
        }
    }

    var retries: RetryPolicy { RetryPolicy(maxAttempts: maxAttempts, spacingMinutes: spacingMinutes) }
}

/// One number a campaign calls back, with every attempt it made merged.
final class CampaignCall: Model, @unchecked Sendable {
    static let schema = "campaign_calls"

    enum State: String, ClosedSet, Sendable {
        /// To call at `dueAt` (or held by `claimedBy` until then).
        case due
        case done
        /// Withheld, not a number, or on the do-not-call list: listed with `problem`, never offered.
        case uncallable
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    /// E.164, or as the caller id arrived when it is not a number.
    @Field(key: "number") var number: String
    @OptionalField(key: "problem") var problem: String?
    /// Every customer the number belongs to (a household shares one), comma-separated; the first is shown.
    @Field(key: "customer_ids") var customerIDs: String
    /// The IANA zone the calling window is kept in.
    @Field(key: "zone") var zone: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "first_attempt_at") var firstAttemptAt: Date
    @Field(key: "last_attempt_at") var lastAttemptAt: Date
    /// The channels they tried (comma-separated).
    @Field(key: "channels") var channels: String
    /// Whether they asked to be called back (the IVR's "press 1").
    @Field(key: "explicit") var explicit: Bool
    @Field(key: "care") var care: Bool
    /// 0 asked to be called back, 1 a customer with care notes, 2 everyone else.
    @Field(key: "priority") var priority: Int
    @Field(key: "state") var state: State
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "claimed_by") var claimedBy: UUID?
    @OptionalField(key: "claimed_at") var claimedAt: Date?
    /// Calls made, and how the last one went.
    @Field(key: "tries") var tries: Int
    @OptionalField(key: "outcome") var outcome: CallbackOutcome?
    @Field(key: "reached") var reached: Bool
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}

    var customers: [UUID] { customerIDs.split(separator: ",").compactMap { UUID(uuidString: String($0)) } }
}

/// One call a rep made in a campaign: who, when, how it went, and the outbound contact it became.
final class CampaignAttempt: Model, @unchecked Sendable {
    static let schema = "campaign_attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "call_id") var callID: UUID
    /// The call's tries when it was made (1 for the first): one attempt per try, however often it is posted.
    @Field(key: "try") var `try`: Int
    @OptionalField(key: "rep_id") var repID: UUID?
    @Field(key: "outcome") var outcome: CallbackOutcome
    @Field(key: "reached") var reached: Bool
    @Field(key: "contact_id") var contactID: UUID
    @Field(key: "at") var at: Date

    init() {}
}

/// A number a program must not call, with who said so.
final class DoNotCall: Model, @unchecked Sendable {
    static let schema = "do_not_call"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "number") var number: String
    @Field(key: "reason") var reason: String
    @OptionalField(key: "added_by") var addedBy: UUID?
    @Field(key: "added_at") var addedAt: Date

    init() {}
}
