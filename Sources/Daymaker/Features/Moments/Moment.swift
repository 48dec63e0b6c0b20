import DaymakerCore
import Fluent
import Foundation

/// A contact someone nominated as "made someone's day": what the little extra was, in the nominator's words, the
/// evidence as it stood (stored with the moment, since the contact may change), and a supervisor's review. What is
/// shown outside the program is the `shared` text, redacted when the moment was featured.
final class Moment: Model, @unchecked Sendable {
    static let schema = "moments"

    enum Status: String, ClosedSet, Sendable { case nominated, featured, declined }

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @OptionalField(key: "contact_id") var contactID: UUID?
    @OptionalField(key: "customer_id") var customerID: UUID?
    /// The rep who made the day.
    @OptionalField(key: "rep_id") var repID: UUID?
    @Field(key: "nominated_by") var nominatedBy: UUID
    @Field(key: "channel") var channel: Contact.Channel
    @Field(key: "little_extra") var littleExtra: String
    @OptionalField(key: "quote") var quote: String?
    /// Behaviour tags of the program's vocabulary, comma-separated.
    @Field(key: "tags") var tags: String
    @OptionalField(key: "evidence") var evidence: String?
    @OptionalField(key: "evidence_url") var evidenceURL: String?
    @Field(key: "status") var status: Status
    /// The feature comment or the reason it was declined (the nominator sees it).
    @OptionalField(key: "review_note") var reviewNote: String?
    @OptionalField(key: "reviewed_by") var reviewedBy: UUID?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    @OptionalField(key: "shared_little_extra") var sharedLittleExtra: String?
    @OptionalField(key: "shared_quote") var sharedQuote: String?
    @OptionalField(key: "shared_evidence") var sharedEvidence: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var tagList: [String] { Vocabulary.stored(tags) }
}
