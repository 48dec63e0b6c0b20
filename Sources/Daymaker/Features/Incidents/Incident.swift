import DaymakerCore
import Fluent
import Foundation

/// A period of degraded service in some programs, with what it tells customers on which channels, until a
/// supervisor resolves it. Its history is its updates (see ``IncidentUpdate``).
final class Incident: Model, @unchecked Sendable {
    static let schema = "incidents"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "public_message") var publicMessage: String
    @Field(key: "ivr_message") var ivrMessage: String
    @OptionalField(key: "email_reply") var emailReply: String?
    /// The channels in disruption, as `Contact.Channel` values joined by commas, in their declared order.
    @Field(key: "channels") var channelList: String
    @Field(key: "declared_at") var declaredAt: Date
    /// Nil when declared on the command line.
    @OptionalField(key: "declared_by") var declaredBy: UUID?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?
    @OptionalField(key: "resolved_by") var resolvedBy: UUID?
    @Field(key: "updated_at") var updatedAt: Date
    @Children(for: \.$incident) var programs: [IncidentProgram]
    @Children(for: \.$incident) var updates: [IncidentUpdate]

    init() {}

    var isActive: Bool { resolvedAt == nil }

    var channels: [Contact.Channel] {
        channelList.split(separator: ",").compactMap { Contact.Channel(rawValue: String($0)) }
    }

    var messages: IncidentMessages {
        get throws {
            try IncidentMessages(
                title: title, publicMessage: publicMessage, ivrMessage: ivrMessage, emailReply: emailReply)
        }
    }

    func set(_ messages: IncidentMessages) {
        title = messages.title
        publicMessage = messages.publicMessage
        ivrMessage = messages.ivrMessage
        emailReply = messages.emailReply
    }
}

/// A program an incident affects.
final class IncidentProgram: Model, @unchecked Sendable {
    static let schema = "incident_programs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "incident_id") var incident: Incident
    @Field(key: "program_id") var programID: UUID

    init() {}

    init(incident: UUID, program: UUID) {
        $incident.id = incident
        programID = program
    }
}

/// One entry of an incident's history: declared, updated or resolved, with what was said then.
final class IncidentUpdate: Model, @unchecked Sendable {
    static let schema = "incident_updates"

    enum Kind: String, ClosedSet, Sendable, Codable { case declared, updated, resolved }

    @ID(key: .id) var id: UUID?
    @Parent(key: "incident_id") var incident: Incident
    /// 1 for the declaration, then one more for each entry: the order of entries written within one second.
    @Field(key: "seq") var seq: Int
    @Field(key: "kind") var kind: Kind
    @Field(key: "message") var message: String
    @Field(key: "at") var at: Date
    /// Nil when written on the command line.
    @OptionalField(key: "author_id") var authorID: UUID?

    init() {}

    init(incident: UUID, seq: Int, kind: Kind, message: String, at: Date, author: UUID?) {
        id = UUID(timeOrderedAt: at)
        $incident.id = incident
        self.seq = seq
        self.kind = kind
        self.message = message
        self.at = at
        authorID = author
    }
}
