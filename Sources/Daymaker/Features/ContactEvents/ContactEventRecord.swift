import DaymakerCore
import Fluent
import Foundation

/// One event a sender reported about a contact, kept so a retry is answered as the first time (idempotency by the
/// sender's `eventId` within a program) and so the contact's timeline can be folded again from all its events.
final class ContactEventRecord: Model, @unchecked Sendable {
    static let schema = "contact_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "program_id") var program: Program
    /// The sender's id for the event, unique within the program.
    @Field(key: "event_id") var eventID: String
    @Parent(key: "contact_id") var contact: Contact
    @Field(key: "type") var type: ContactTimeline.EventType
    @Field(key: "at") var at: Date
    @OptionalField(key: "rep_id") var repID: UUID?
    /// The answer the first delivery got (JSON), given again to every retry.
    @Field(key: "answer") var answer: String
    @Field(key: "received_at") var receivedAt: Date

    init() {}

    var timelineEvent: ContactTimeline.Event { .init(type, at: at, repID: repID) }
}
