import Fluent

/// Programs' Twilio accounts (one per program; the auth token sealed).
struct CreateTwilioAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TwilioAccount.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("account_sid", .string, .required)
            .field("auth_token_sealed", .string, .required)
            .field("updated_by_id", .uuid)
            .field("updated_at", .datetime, .required)
            .unique(on: "program_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TwilioAccount.schema).delete()
    }
}
