import Fluent

struct CreateContacts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Contact.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .restrict))
            .field("customer_id", .uuid, .references(Customer.schema, .id, onDelete: .setNull))
            .field("channel", .string, .required)
            .field("direction", .string, .required)
            .field("from_address", .string, .required)
            .field("to_address", .string, .required)
            .field("status", .string, .required)
            .field("arrived_at", .datetime, .required)
            .field("answered_at", .datetime)
            .field("ended_at", .datetime)
            .field("rep_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("reason", .string)
            .field("summary", .string)
            .field("resolution", .string)
            .field("external_id", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "program_id", "external_id")
            .create()
        try await database.createIndex(on: Contact.schema, columns: "customer_id", "arrived_at")
        try await database.createIndex(on: Contact.schema, columns: "program_id", "arrived_at")
        try await database.createIndex(on: Contact.schema, columns: "rep_id", "arrived_at")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Contact.schema).delete()
    }
}
