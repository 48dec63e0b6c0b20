import Fluent
import SQLKit

/// The roll-ups are counted again an hour at a time instead of a day at a time: the triggers mark the UTC hour of
/// each contact written (`insight_marks`), and every roll-up row (by rep and by root cause too) belongs to a local
/// hour, so a change costs a count of its hour, not of its whole day (a busy today is hundreds of thousands of
/// contacts). The rows counted by day are dropped and every hour with contacts is marked: the server counts them
/// again in the background, as when migration 018 ran.
struct UpdateInsightsCountedByHour: AsyncMigration {
    static let marks = CreateInsightRollups.Marks(
        table: InsightRollups.marks, column: "hour", seconds: 3_600,
        conflict: "ON CONFLICT (program_id, hour) DO UPDATE SET taken = NULL WHERE insight_marks.taken IS NOT NULL")

    func prepare(on database: any Database) async throws {
        try await database.schema(InsightRollups.marks)
            .field("program_id", .uuid, .required).field("hour", .int64, .required).field("taken", .int64)
            .compositeIdentifier(over: "program_id", "hour")
            .create()
        try await CreateInsightRollups.replaceTriggers(Self.marks, on: database)
        try await database.schema("insight_dirty").delete()
        try await emptyRollups(byHour: true, on: database)
        let sql = try database.sqlDatabase
        try await sql.raw(
            """
            INSERT INTO insight_marks (program_id, hour)
            SELECT DISTINCT program_id, \(InsightRollups.utcPeriod(3_600, sql)) FROM contacts
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("insight_dirty")
            .field("program_id", .uuid, .required).field("day", .int64, .required).field("taken", .int64)
            .compositeIdentifier(over: "program_id", "day")
            .create()
        try await CreateInsightRollups.replaceTriggers(.days(conflict: UpdateInsightMarksTaken.marking), on: database)
        try await database.schema(InsightRollups.marks).delete()
        try await emptyRollups(byHour: false, on: database)
        let sql = try database.sqlDatabase
        try await sql.raw(
            """
            INSERT INTO insight_dirty (program_id, day)
            SELECT DISTINCT program_id, \(InsightRollups.utcPeriod(86_400, sql)) FROM contacts
            """
        ).run()
    }

    /// Empties the roll-ups, and gives the rows by rep and by cause an hour (or takes it away).
    private func emptyRollups(byHour: Bool, on database: any Database) async throws {
        let sql = try database.sqlDatabase
        for table in [InsightRollups.hours, InsightRollups.reps, InsightRollups.causes] {
            try await sql.delete(from: table).run()
        }
        for table in [InsightRollups.reps, InsightRollups.causes] {
            let schema = database.schema(table)
            try await (byHour ? schema.field("hour", .int, .required, .sql(.default(0))) : schema.deleteField("hour"))
                .update()
        }
    }
}
