import Fluent

/// Tokens may expire (`APIToken.expiresAt`); existing ones keep working until revoked.
struct UpdateAPITokensAddExpiresAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(APIToken.schema).field("expires_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIToken.schema).deleteField("expires_at").update()
    }
}
