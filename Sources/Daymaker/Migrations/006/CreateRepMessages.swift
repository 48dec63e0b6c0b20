import Fluent

/// Messages left for a rep on their desk.
struct CreateRepMessages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RepMessage.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("to_rep_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("from_user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("contact_id", .uuid, .references(Contact.schema, .id, onDelete: .setNull))
            .field("customer_id", .uuid, .references(Customer.schema, .id, onDelete: .setNull))
            .field("text", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .create()
        try await database.createIndex(on: RepMessage.schema, columns: "to_rep_id", "read_at")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RepMessage.schema).delete()
    }
}
