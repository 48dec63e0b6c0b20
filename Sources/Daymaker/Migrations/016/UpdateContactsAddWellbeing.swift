import Fluent

/// A contact flagged heated or abusive in wrap-up: by whom and when (the rep's break and the counts follow from it).
struct UpdateContactsAddWellbeing: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(Contact.schema).field("wellbeing", .string).update()
        try await database.schema(Contact.schema).field("wellbeing_by_id", .uuid).update()
        try await database.schema(Contact.schema).field("wellbeing_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        for column in ["wellbeing_at", "wellbeing_by_id", "wellbeing"] {
            try await database.schema(Contact.schema).deleteField(.string(column)).update()
        }
    }
}
