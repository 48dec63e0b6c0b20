import DaymakerCore
import Fluent
import Foundation

/// One ended contact's survey: decided once (invited, or skipped with the reason), and once answered, the
/// customer's score, whether the rep made their day, their thanks and what could have been done better. The link's
/// token is never stored, only its hash; it works once, until it expires.
final class Survey: Model, @unchecked Sendable {
    static let schema = "surveys"

    /// `pending`: noted when the contact ended, waiting for the program's delay.
    enum Status: String, ClosedSet, Sendable { case pending, invited, skipped, answered }

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "contact_id") var contactID: UUID
    @OptionalField(key: "customer_id") var customerID: UUID?
    /// The rep who handled the contact when it ended: the survey's score is theirs, whoever holds the contact later.
    @OptionalField(key: "rep_id") var repID: UUID?
    @Field(key: "channel") var channel: Contact.Channel
    @Field(key: "status") var status: Status
    @OptionalField(key: "skip_reason") var skipReason: String?
    /// How the invitation went (email, sms, voice), and where.
    @OptionalField(key: "invited_by") var invitedBy: SurveyRules.Transport?
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "token_hash") var tokenHash: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    /// 1 (very dissatisfied) to 5 (very satisfied).
    @OptionalField(key: "score") var score: Int?
    @OptionalField(key: "made_day") var madeDay: Bool?
    /// The customer's thanks, addressed to the rep by name.
    @OptionalField(key: "thanks") var thanks: String?
    /// What could we have done better.
    @OptionalField(key: "better") var better: String?
    /// Root causes of the program's vocabulary, comma-separated.
    @OptionalField(key: "root_causes") var rootCauses: String?
    /// A low score or a "could have done better" answer waits for a supervisor until one handles it.
    @Field(key: "alert") var alert: Bool
    @OptionalField(key: "alert_handled_at") var alertHandledAt: Date?
    @OptionalField(key: "alert_handled_by") var alertHandledBy: UUID?

    init() {}
}

/// Thanks that reach a rep by name: from a customer's survey, or kudos from a peer or a supervisor. Shown on the
/// rep's desk until read, and on their wall of thanks.
final class Kudos: Model, @unchecked Sendable {
    static let schema = "kudos"

    enum Source: String, ClosedSet, Sendable { case customer, peer, supervisor }

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "rep_id") var repID: UUID
    @Field(key: "source") var source: Source
    /// Who gave it: a user (peer, supervisor) or, for a customer, their name as the program knows it.
    @OptionalField(key: "from_user_id") var fromUserID: UUID?
    @Field(key: "from_name") var fromName: String
    @OptionalField(key: "survey_id") var surveyID: UUID?
    @OptionalField(key: "contact_id") var contactID: UUID?
    @OptionalField(key: "customer_id") var customerID: UUID?
    @Field(key: "text") var text: String
    /// A thank-you the customer recorded after a call's voice survey (at the telephony provider).
    @OptionalField(key: "recording_url") var recordingURL: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}
}

extension Kudos {
    /// A customer's thanks in their survey, for one of the reps it credits.
    convenience init(_ survey: Survey, rep: UUID, from: String, text: String, now: Date) throws {
        self.init()
        id = UUID(timeOrderedAt: now)
        programID = survey.programID
        repID = rep
        source = .customer
        fromName = from
        surveyID = try survey.requireID()
        contactID = survey.contactID
        customerID = survey.customerID
        self.text = text
        createdAt = now
    }
}
