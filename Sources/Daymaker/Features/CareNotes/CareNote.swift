import DaymakerCore
import Fluent
import Foundation

/// Something a rep must know to treat a customer with care (a bereavement, a health condition), with guidance.
/// Only members of the customer's program read it; every read and change is audited.
final class CareNote: Model, @unchecked Sendable {
    static let schema = "care_notes"

    enum Kind: String, ClosedSet, Sendable { case bereavement, health, accessibility, safety, other }

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Parent(key: "customer_id") var customer: Customer
    @Field(key: "kind") var kind: Kind
    @Field(key: "text") var text: String
    /// What the rep should do ("be gentle, he may want to talk").
    @Field(key: "guidance") var guidance: String
    @Field(key: "author_id") var authorID: UUID
    /// A date (yyyy-MM-dd) by which someone should check the note is still right.
    @OptionalField(key: "review_on") var reviewOn: String?
    @OptionalField(key: "retired_at") var retiredAt: Date?
    @OptionalField(key: "retired_by_id") var retiredByID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
