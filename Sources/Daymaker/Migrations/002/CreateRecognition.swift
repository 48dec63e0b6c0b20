import DaymakerCore
import Fluent

/// Bookings, care notes and per-program recognition settings: what the recognition card shows.
struct CreateRecognition: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Booking.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .restrict))
            .field("customer_id", .uuid, .required, .references(Customer.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("pick_up", .string)
            .field("drop_off", .string)
            .field("notes", .string, .required)
            .field("status", .string, .required)
            .field("external_id", .string)
            .field("confirmed_at", .datetime)
            .field("confirmed_by_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("confirmed_contact_id", .uuid, .references(Contact.schema, .id, onDelete: .setNull))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "program_id", "external_id")
            .create()
        try await database.createIndex(on: Booking.schema, columns: "customer_id", "starts_at")

        try await database.schema(CareNote.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .restrict))
            .field("customer_id", .uuid, .required, .references(Customer.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("guidance", .string, .required)
            .field("author_id", .uuid, .required, .references(User.schema, .id, onDelete: .restrict))
            .field("review_on", .string)
            .field("retired_at", .datetime)
            .field("retired_by_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.createIndex(on: CareNote.schema, columns: "customer_id")

        try await database.schema(RecognitionSettingsRecord.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("settings", .string, .required)
            .field("updated_by_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("updated_at", .datetime)
            .unique(on: "program_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [RecognitionSettingsRecord.schema, CareNote.schema, Booking.schema] {
            try await database.schema(schema).delete()
        }
    }
}
