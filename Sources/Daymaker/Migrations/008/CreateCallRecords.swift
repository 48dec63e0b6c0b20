import Fluent
import SQLKit

/// Call legs imported from PBX and carrier records.
struct CreateCallRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CallRecord.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("source", .string, .required)
            .field("leg_key", .string, .required)
            .field("attempt_key", .string, .required)
            .field("from_address", .string, .required)
            .field("from_problem", .string)
            .field("caller_name", .string)
            .field("to_address", .string, .required)
            .field("started_at", .datetime, .required)
            .field("answered", .bool, .required)
            .field("disposition", .string, .required)
            .field("line", .int, .required)
            .field("raw", .string, .required)
            .field("imported_at", .datetime, .required)
            .unique(on: "program_id", "source", "leg_key")
            .create()
        try await database.createIndex(on: CallRecord.schema, columns: "program_id", "started_at")
        try await database.createIndex(on: CallRecord.schema, columns: "program_id", "from_address")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CallRecord.schema).delete()
    }
}
