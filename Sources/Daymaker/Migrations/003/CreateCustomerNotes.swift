import Fluent

/// Quick notes as rows of their own (`CustomerNote`), so concurrent notes are never lost.
struct CreateCustomerNotes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CustomerNote.schema)
            .id()
            .field("customer_id", .uuid, .required, .references(Customer.schema, .id, onDelete: .cascade))
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .restrict))
            .field("author_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("author_name", .string, .required)
            .field("text", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex(on: CustomerNote.schema, columns: "customer_id", "created_at")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CustomerNote.schema).delete()
    }
}
