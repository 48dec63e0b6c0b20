import Fluent

/// What routing matches a rep on besides relationships: languages, channels, and the nicknames customers use; the
/// language a contact needs; and who hands a contact over in a warm transfer, with their note.
struct UpdateUsersAddSkills: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        for column in ["languages", "channels", "nicknames"] {
            try await database.schema(User.schema).field(.string(column), .array(of: .string)).update()
        }
        try await database.schema(Contact.schema).field("language", .string).update()
        try await database.schema(Offer.schema).field("transferred_by_id", .uuid).update()
        try await database.schema(Offer.schema).field("note", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Offer.schema).deleteField("note").update()
        try await database.schema(Offer.schema).deleteField("transferred_by_id").update()
        try await database.schema(Contact.schema).deleteField("language").update()
        for column in ["languages", "channels", "nicknames"] {
            try await database.schema(User.schema).deleteField(.string(column)).update()
        }
    }
}
