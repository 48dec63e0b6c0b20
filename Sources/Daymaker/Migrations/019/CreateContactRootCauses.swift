import Fluent
import SQLKit

/// What the company could have done differently, as the rep saw it in wrap-up: a contact's root causes (the
/// program's root-cause words, comma-separated), and insights' daily roll-up of them by rep (kept current by the
/// triggers of ``CreateInsightRollups``, which mark the day of every changed contact).
struct CreateContactRootCauses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Contact.schema).field("root_causes", .string).update()
        try await database.schema(InsightRollups.causes)
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("day", .string, .required).field("rep_id", .uuid).field("cause", .string, .required)
            .field("contacts", .int, .required)
            .create()
        try await database.createIndex(on: InsightRollups.causes, columns: "program_id", "day")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(InsightRollups.causes).delete()
        try await database.schema(Contact.schema).deleteField("root_causes").update()
    }
}
