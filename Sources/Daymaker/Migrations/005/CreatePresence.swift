import Fluent

/// Rep presence now, every change to it, and weekly shifts.
struct CreatePresence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PresenceRecord.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("state", .string, .required)
            .field("since", .datetime, .required)
            .field("until", .datetime)
            .unique(on: "user_id")
            .create()
        try await database.schema(PresenceChange.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("state", .string, .required)
            .field("at", .datetime, .required)
            .field("changed_by", .uuid)
            .create()
        try await database.createIndex(on: PresenceChange.schema, columns: "user_id", "at")
        try await database.schema(RepShift.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("weekday", .int, .required)
            .field("start_minute", .int, .required)
            .field("end_minute", .int, .required)
            .create()
        try await database.createIndex(on: RepShift.schema, columns: "user_id", "program_id")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RepShift.schema).delete()
        try await database.schema(PresenceChange.schema).delete()
        try await database.schema(PresenceRecord.schema).delete()
    }
}
