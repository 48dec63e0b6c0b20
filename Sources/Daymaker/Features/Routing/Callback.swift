import DaymakerCore
import Fluent
import Foundation

/// A promise to call a customer back: from a rep they asked for (in that rep's next shift), after an IVR
/// "press 1", or — in the incidents issue — in a campaign after an outage.
final class Callback: Model, @unchecked Sendable {
    static let schema = "callbacks"

    enum Status: String, ClosedSet, Sendable { case open, done, cancelled }
    enum Source: String, ClosedSet, Sendable { case desk, ivr, api, survey }

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @OptionalField(key: "customer_id") var customerID: UUID?
    /// E.164, to call.
    @Field(key: "number") var number: String
    /// The rep who should call (the one the customer asked for); nil: anyone.
    @OptionalField(key: "rep_id") var repID: UUID?
    @Field(key: "due_start") var dueStart: Date
    @Field(key: "due_end") var dueEnd: Date
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "source") var source: Source
    /// The contact it was promised on.
    @OptionalField(key: "contact_id") var contactID: UUID?
    /// The incident during which the customer asked for it.
    @OptionalField(key: "incident_id") var incidentID: UUID?
    @Field(key: "status") var status: Status
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
