import Fluent

/// The world-class library: nominated contacts and their review.
struct CreateMoments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Moment.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("contact_id", .uuid, .references(Contact.schema, .id, onDelete: .setNull))
            .field("customer_id", .uuid, .references(Customer.schema, .id, onDelete: .setNull))
            .field("rep_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("nominated_by", .uuid, .required, .references(User.schema, .id))
            .field("channel", .string, .required)
            .field("little_extra", .string, .required)
            .field("quote", .string)
            .field("tags", .string, .required)
            .field("evidence", .string)
            .field("evidence_url", .string)
            .field("status", .string, .required)
            .field("review_note", .string)
            .field("reviewed_by", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("reviewed_at", .datetime)
            .field("shared_little_extra", .string)
            .field("shared_quote", .string)
            .field("shared_evidence", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex(on: Moment.schema, columns: "program_id", "status", "created_at")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Moment.schema).delete()
    }
}
