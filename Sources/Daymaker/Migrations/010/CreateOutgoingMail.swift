import Fluent
import SQLKit

/// The outbox of mail to send (incident auto-replies).
struct CreateOutgoingMail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutgoingMessage.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("incident_id", .uuid, .references(Incident.schema, .id, onDelete: .cascade))
            .field("to_address", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .unique(on: "incident_id", "to_address")
            .create()
        try await database.createIndex(on: OutgoingMessage.schema, columns: "status", "next_attempt_at")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutgoingMessage.schema).delete()
    }
}
