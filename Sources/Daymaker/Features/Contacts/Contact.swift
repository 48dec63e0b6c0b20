import DaymakerCore
import Fluent
import Foundation

/// One interaction on one channel, inbound or outbound.
final class Contact: Model, @unchecked Sendable {
    static let schema = "contacts"

    enum Channel: String, ClosedSet, Sendable { case voice, email, chat, social, sms }
    enum Direction: String, ClosedSet, Sendable { case inbound, outbound }
    typealias Status = ContactStatus
    /// A contact that was hard on the rep: heated, or abusive.
    enum Wellbeing: String, ClosedSet, Sendable { case heated, abusive }
    enum Resolution: String, ClosedSet, Sendable {
        case resolved, unresolved
        case followUp = "follow-up"
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "program_id") var program: Program
    @OptionalParent(key: "customer_id") var customer: Customer?
    @Field(key: "channel") var channel: Channel
    @Field(key: "direction") var direction: Direction
    /// Where it came from: E.164 for voice and sms, an address or handle otherwise.
    @Field(key: "from_address") var fromAddress: String
    @Field(key: "to_address") var toAddress: String
    @Field(key: "status") var status: Status
    @Field(key: "arrived_at") var arrivedAt: Date
    @OptionalField(key: "answered_at") var answeredAt: Date?
    @OptionalField(key: "ended_at") var endedAt: Date?
    /// When the rep saved the wrap-up: the contact's handle time ends here.
    @OptionalField(key: "wrapped_at") var wrappedAt: Date?
    @OptionalParent(key: "rep_id") var rep: User?
    @OptionalField(key: "reason") var reason: String?
    @OptionalField(key: "summary") var summary: String?
    @OptionalField(key: "resolution") var resolution: Resolution?
    /// What the company could have done differently: the program's root-cause words, comma-separated.
    @OptionalField(key: "root_causes") var rootCauses: String?
    /// The PBX's or provider's id; unique within a program when present.
    @OptionalField(key: "external_id") var externalID: String?
    /// The rep the customer asked for on arrival (a name or an id, as the IVR or widget heard it).
    @OptionalField(key: "requested_rep") var requestedRep: String?
    /// The language the customer needs (ISO 639, from the IVR or chat widget); routing matches reps who speak it.
    @OptionalField(key: "language") var language: String?
    /// Why the number it came from cannot be called back (a caller id no phone-number rule accepts, stored as the
    /// carrier sent it); nil when it can be, or the channel is not a phone.
    @OptionalField(key: "from_problem") var fromProblem: String?
    /// What routing could not do as asked ("Asked for Sarh: no rep by that name."), for whoever answers.
    @OptionalField(key: "routing_note") var routingNote: String?
    /// Flagged heated or abusive (in wrap-up, or by a supervisor), by whom and when.
    @OptionalField(key: "wellbeing") var wellbeing: Wellbeing?
    @OptionalField(key: "wellbeing_by_id") var wellbeingByID: UUID?
    @OptionalField(key: "wellbeing_at") var wellbeingAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
