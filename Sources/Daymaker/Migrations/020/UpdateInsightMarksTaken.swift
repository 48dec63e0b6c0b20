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
        try await database.schema("insight_dirty").field("taken", .int64).update()
        try await CreateInsightRollups.replaceTriggers(.days(conflict: Self.marking), on: database)
    }

    func revert(on database: any Database) async throws {
        try await CreateInsightRollups.replaceTriggers(.days(conflict: "ON CONFLICT DO NOTHING"), on: database)
        try await database.schema("insight_dirty").deleteField("taken").update()
    }
}
