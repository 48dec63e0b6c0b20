import Fluent

struct CreateAccess: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(APIToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("scopes", .string, .required)
            .field("token_hash", .string, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema(UserSession.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema(AuditEntry.schema)
            .id()
            .field("actor_id", .uuid)
            .field("action", .string, .required)
            .field("record_type", .string, .required)
            .field("record_id", .uuid)
            .field("program_id", .uuid)
            .field("detail", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.createIndex(on: AuditEntry.schema, columns: "at")
        try await database.createIndex(on: AuditEntry.schema, columns: "record_id")
    }

    func revert(on database: any Database) async throws {
        for schema in [AuditEntry.schema, UserSession.schema, APIToken.schema] {
            try await database.schema(schema).delete()
        }
    }
}
