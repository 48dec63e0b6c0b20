import Fluent

struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("full_name", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("password_hash", .string, .required)
            .field("active", .bool, .required)
            .field("failed_sign_ins", .int, .required)
            .field("first_failed_sign_in_at", .datetime)
            .field("locked_until", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .create()
        try await database.schema(ProgramMembership.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime)
            .unique(on: "user_id", "program_id")
            .create()
        try await database.createIndex(on: ProgramMembership.schema, columns: "program_id")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProgramMembership.schema).delete()
        try await database.schema(User.schema).delete()
    }
}
