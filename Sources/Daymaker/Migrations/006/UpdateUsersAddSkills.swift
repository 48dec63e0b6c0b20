import Fluent

/// What routing matches a rep on besides relationships: languages, channels, and the nicknames customers use; and
/// the language a contact needs.
struct UpdateUsersAddSkills: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        for column in ["languages", "channels", "nicknames"] {
            try await database.schema(User.schema).field(.string(column), .array(of: .string)).update()
        }
        try await database.schema(Contact.schema).field("language", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Contact.schema).deleteField("language").update()
        for column in ["languages", "channels", "nicknames"] {
            try await database.schema(User.schema).deleteField(.string(column)).update()
        }
    }
}
