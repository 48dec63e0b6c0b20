import Fluent
import SQLKit

/// The roll-ups are counted again an hour at a time instead of a day at a time: the triggers mark the UTC hour of
/// each contact written (`insight_marks`), and the counts by rep and by root cause are kept per local hour
/// (`insight_rep_hours`, `insight_cause_hours`) beside the daily rows the dashboard reads, which are their sums. A
/// change costs a count of its hour, not of its whole day (a busy today is hundreds of thousands of contacts). The
/// rows counted by day are dropped and every hour with contacts is marked: the server counts them again in the
/// background, as when migration 018 ran.
struct UpdateInsightsCountedByHour: AsyncMigration {
    static let marks = CreateInsightRollups.Marks(
        table: InsightRollups.marks, column: "hour", seconds: 3_600,
        conflict: "ON CONFLICT (program_id, hour) DO UPDATE SET taken = NULL WHERE insight_marks.taken IS NOT NULL")

    func prepare(on database: any Database) async throws {
        try await database.schema(InsightRollups.marks)
            .field("program_id", .uuid, .required).field("hour", .int64, .required).field("taken", .int64)
            .compositeIdentifier(over: "program_id", "hour")
            .create()
        var repHours = database.schema(InsightRollups.repHours)
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("day", .string, .required).field("hour", .int, .required).field("rep_id", .uuid)
            .field("channel", .string, .required)
        for (name, seconds) in CreateInsightRollups.counters {
            repHours = repHours.field(.string(name), seconds ? .double : .int, .required)
        }
        try await repHours.create()
        try await database.schema(InsightRollups.causeHours)
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("day", .string, .required).field("hour", .int, .required).field("rep_id", .uuid)
            .field("cause", .string, .required).field("contacts", .int, .required)
            .create()
        try await database.createIndex(on: InsightRollups.repHours, columns: "program_id", "day")
        try await database.createIndex(on: InsightRollups.causeHours, columns: "program_id", "day")
        try await CreateInsightRollups.replaceTriggers(Self.marks, on: database)
        try await database.schema("insight_dirty").delete()
        try await countEverythingAgain(Self.marks, on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("insight_dirty")
            .field("program_id", .uuid, .required).field("day", .int64, .required).field("taken", .int64)
            .compositeIdentifier(over: "program_id", "day")
            .create()
        try await CreateInsightRollups.replaceTriggers(.days(conflict: UpdateInsightMarksTaken.marking), on: database)
        try await database.schema(InsightRollups.marks).delete()
        try await database.schema(InsightRollups.causeHours).delete()
        try await database.schema(InsightRollups.repHours).delete()
        try await countEverythingAgain(.days(conflict: UpdateInsightMarksTaken.marking), on: database)
    }

    /// Empties the roll-ups counted so far and marks every period with contacts, as `marks` marks them: the server
    /// counts them all again.
    private func countEverythingAgain(_ marks: CreateInsightRollups.Marks, on database: any Database) async throws {
        let sql = try database.sqlDatabase
        for table in [InsightRollups.hours, InsightRollups.reps, InsightRollups.causes] {
            try await sql.delete(from: table).run()
        }
        try await sql.raw(
            """
            INSERT INTO \(ident: marks.table) (program_id, \(ident: marks.column))
            SELECT DISTINCT program_id, \(InsightRollups.utcPeriod(marks.seconds, sql)) FROM contacts
            """
        ).run()
    }
}
