import Fluent
import SQLKit

/// A day's mark is taken before its day is counted, and dropped afterwards only if no write touched it meanwhile
/// (see `InsightRollups.refresh`). A write that finds the mark there holds it (on PostgreSQL the upsert locks the
/// row until the write commits, so taking it waits for the write) and gives it back if it was taken. Before, a
/// write that found the mark there left it alone: a count could take the mark and read the day just before that
/// write committed, leaving the change uncounted and the day unmarked.
struct UpdateInsightMarksTaken: AsyncMigration {
    /// What a write does to a day marked already: gives the mark back if a count took it (and holds it either way).
    static let marking =
        "ON CONFLICT (program_id, day) DO UPDATE SET taken = NULL WHERE insight_dirty.taken IS NOT NULL"

    func prepare(on database: any Database) async throws {
        try await database.schema(InsightRollups.dirty).field("taken", .int64).update()
        try await replaceTriggers(marking: Self.marking, on: database)
    }

    func revert(on database: any Database) async throws {
        try await replaceTriggers(marking: "ON CONFLICT DO NOTHING", on: database)
        try await database.schema(InsightRollups.dirty).deleteField("taken").update()
    }

    private func replaceTriggers(marking: String, on database: any Database) async throws {
        let sql = try database.sqlDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw(SQLQueryString(CreateInsightRollups.postgresFunction(marking: marking))).run()
            return
        }
        for event in ["insert", "update", "delete"] {
            try await sql.raw("DROP TRIGGER insight_contacts_\(unsafeRaw: event)").run()
        }
        for trigger in CreateInsightRollups.sqliteTriggers(marking: marking) {
            try await sql.raw(SQLQueryString(trigger)).run()
        }
    }
}
