import Fluent
import SQLKit

/// Survey invitations by text message: each program's SMS webhook (its secret sealed), the outbox's channel (email
/// or sms), how each survey's invitation went (email, sms, voice), and a recorded thank-you's address on the kudos
/// it became.
struct CreateSMSWebhooks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SMSWebhook.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("url", .string, .required)
            .field("secret_sealed", .string, .required)
            .field("updated_by_id", .uuid)
            .field("updated_at", .datetime, .required)
            .unique(on: "program_id")
            .create()
        // One column per statement: SQLite adds one at a time.
        try await database.schema(OutgoingMessage.schema)
            .field("channel", .string, .required, .sql(.default(SQLLiteral.string("email")))).update()
        try await database.schema(Survey.schema).field("invited_by", .string).update()
        try await database.schema(Kudos.schema).field("recording_url", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Kudos.schema).deleteField("recording_url").update()
        try await database.schema(Survey.schema).deleteField("invited_by").update()
        try await database.schema(OutgoingMessage.schema).deleteField("channel").update()
        try await database.schema(SMSWebhook.schema).delete()
    }
}
