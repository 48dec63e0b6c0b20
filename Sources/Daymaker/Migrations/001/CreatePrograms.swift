import Fluent

struct CreatePrograms: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Program.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("time_zone", .string, .required)
            .field("country", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Program.schema).delete()
    }
}
