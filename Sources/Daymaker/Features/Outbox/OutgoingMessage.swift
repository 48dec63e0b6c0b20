import DaymakerCore
import Fluent
import Foundation

/// A message waiting to be sent, sent, or given up on: the outbox the sender works through, so that a slow or
/// unreachable SMTP server or SMS provider never holds up a contact, and nothing is lost when it is down for a while.
final class OutgoingMessage: Model, @unchecked Sendable {
    static let schema = "outgoing_mail"

    enum Status: String, ClosedSet, Sendable { case pending, sent, failed }
    /// Email over SMTP, or a text message through the program's SMS webhook (``SMSWebhook``).
    enum Channel: String, ClosedSet, Sendable { case email, sms }

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    /// The incident it answers for: one per address and incident.
    @OptionalField(key: "incident_id") var incidentID: UUID?
    /// The survey it invites to: its link is made when it is sent (see `Outbox`).
    @OptionalField(key: "survey_id") var surveyID: UUID?
    @Field(key: "channel") var channel: Channel
    /// An email address, or a phone number in E.164 for a text message.
    @Field(key: "to_address") var toAddress: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "status") var status: Status
    @Field(key: "attempts") var attempts: Int
    /// When the sender may try it next (a try in progress holds it until then).
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?

    init() {}
}
