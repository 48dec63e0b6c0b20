import Fluent

/// Contact events from telephony systems, mail gateways and chat widgets (`POST /api/v1/events`), and the rep a
/// customer asked for on arrival.
struct CreateContactEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ContactEventRecord.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .restrict))
            .field("event_id", .string, .required)
            .field("contact_id", .uuid, .required, .references(Contact.schema, .id, onDelete: .cascade))
            .field("type", .string, .required)
            .field("at", .datetime, .required)
            .field("rep_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("answer", .string, .required)
            .field("received_at", .datetime, .required)
            .unique(on: "program_id", "event_id")
            .create()
        try await database.createIndex(on: ContactEventRecord.schema, columns: "contact_id", "at")
        try await database.schema(Contact.schema).field("requested_rep", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Contact.schema).deleteField("requested_rep").update()
        try await database.schema(ContactEventRecord.schema).delete()
    }
}
