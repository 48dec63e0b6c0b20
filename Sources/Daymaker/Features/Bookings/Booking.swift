import DaymakerCore
import Fluent
import Foundation

/// Something booked for a customer that a rep may need to confirm (tomorrow's ride).
final class Booking: Model, @unchecked Sendable {
    static let schema = "bookings"

    enum Status: String, ClosedSet, Sendable { case scheduled, confirmed, cancelled }

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Parent(key: "customer_id") var customer: Customer
    /// What is booked: "ride", "appointment", "visit", …
    @Field(key: "kind") var kind: String
    @Field(key: "starts_at") var startsAt: Date
    @OptionalField(key: "pick_up") var pickUp: String?
    @OptionalField(key: "drop_off") var dropOff: String?
    @Field(key: "notes") var notes: String
    @Field(key: "status") var status: Status
    /// The booking system's own id; unique per program when present, so imports can be re-run.
    @OptionalField(key: "external_id") var externalID: String?
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    @OptionalField(key: "confirmed_by_id") var confirmedByID: UUID?
    @OptionalField(key: "confirmed_contact_id") var confirmedContactID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
