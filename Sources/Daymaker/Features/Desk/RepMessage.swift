import DaymakerCore
import Fluent
import Foundation

/// A message left for a rep by whoever answered a customer who asked for them ("John called for you; he wanted to
/// thank you"), shown on that rep's desk at once and kept until they mark it read.
final class RepMessage: Model, @unchecked Sendable {
    static let schema = "rep_messages"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Parent(key: "to_rep_id") var toRep: User
    @Parent(key: "from_user_id") var from: User
    @OptionalParent(key: "contact_id") var contact: Contact?
    @OptionalParent(key: "customer_id") var customer: Customer?
    @Field(key: "text") var text: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}

    /// A message for the rep's desk.
    init(
        program: UUID, to rep: UUID, from author: UUID, text: String, contact: UUID? = nil, customer: UUID? = nil,
        at now: Date
    ) {
        programID = program
        $toRep.id = rep
        $from.id = author
        $contact.id = contact
        $customer.id = customer
        self.text = text
        createdAt = now
    }
}

enum RepMessages {
    struct Form: Codable, Sendable {
        var contactId: UUID
        var repId: UUID
        var text: String?
    }

    /// Leaves a message about a contact the principal had (or was offered) for another rep of its program.
    static func leave(_ form: Form, by principal: Principal, now: Date, on db: any Database) async throws -> RepMessage
    {
        guard let contact = try await Contact.find(form.contactId, on: db),
            principal.canSee(program: contact.$program.id)
        else { throw NotFound("Contact") }
        var v = FieldValidator()
        let text = v.text(form.text, "text", maxLength: 2000)
        try v.finish()
        try await ProgramMembership.requireActiveMember(form.repId, of: contact.$program.id, field: "repId", on: db)
        let message = RepMessage(
            program: contact.$program.id, to: form.repId, from: principal.userID, text: text!,
            contact: try contact.requireID(), customer: contact.$customer.id, at: now)
        try await message.create(on: db)
        return message
    }

    /// Marks one of the rep's own messages read; anyone else's is not found.
    static func markRead(_ id: UUID, by principal: Principal, now: Date, on db: any Database) async throws {
        guard let message = try await RepMessage.find(id, on: db), message.$toRep.id == principal.userID else {
            throw NotFound("Message")
        }
        guard message.readAt == nil else { return }
        message.readAt = now
        try await message.save(on: db)
    }

    /// The rep's unread messages, newest first.
    static func unread(for rep: UUID, on db: any Database) async throws -> [RepMessage] {
        try await RepMessage.query(on: db).filter(\.$toRep.$id == rep).filter(\.$readAt == nil)
            .with(\.$from).with(\.$customer).sort(\.$createdAt, .descending).limit(50).all()
    }
}
