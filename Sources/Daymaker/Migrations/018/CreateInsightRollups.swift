import Fluent
import SQLKit

/// Insights' daily roll-ups: each program's contacts counted per day (in the program's zone) and hour and channel,
/// and per day, rep and channel; the days whose contacts changed and the contacts that may be repeats, marked by
/// triggers on `contacts` (so every change — a late event, a contact moved to another rep — is counted again,
/// whoever makes it); and when a rep saved a contact's wrap-up (its handle time ends there).
struct CreateInsightRollups: AsyncMigration {
    /// The counters' columns (see ``ContactCounters``): counts, or summed seconds.
    static let counters: [(name: String, seconds: Bool)] = [
        ("contacts", false), ("answered", false), ("answered_in_target", false), ("abandoned", false),
        ("abandoned_in_target", false), ("short_abandoned", false), ("wait_seconds", true), ("handled", false),
        ("talk_seconds", true), ("wrap_seconds", true), ("resolution_known", false), ("resolved_first_time", false),
        ("heated", false), ("abusive", false),
    ]

    /// What the triggers mark for each contact written: the UTC day (migrations 018 and 020) or, since migration
    /// 021, the UTC hour of its arrival, in `table`'s `column`; `conflict` is what a period marked already gets.
    struct Marks {
        var table: String
        var column: String
        var seconds: Int
        var conflict: String

        static func days(conflict: String) -> Marks {
            Marks(table: "insight_dirty", column: "day", seconds: 86_400, conflict: conflict)
        }
    }

    /// PostgreSQL's trigger function: marks the period of every contact inserted, changed or deleted, and notes
    /// those that may be repeats.
    static func postgresFunction(_ marks: Marks) -> String {
        // What a row (OLD or NEW) marks and notes.
        func mark(_ row: String) -> String {
            """
                INSERT INTO \(marks.table) (program_id, \(marks.column))
                VALUES (\(row).program_id, floor(extract(epoch FROM \(row).arrived_at) / \(marks.seconds))::bigint)
                \(marks.conflict);
                IF moved AND \(row).customer_id IS NOT NULL AND \(row).reason IS NOT NULL THEN
                  INSERT INTO insight_repeats VALUES (\(row).program_id, \(row).customer_id, \(row).arrived_at);
                END IF;
            """
        }
        return """
            CREATE OR REPLACE FUNCTION insight_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
              moved boolean := TG_OP <> 'UPDATE' OR OLD.reason IS DISTINCT FROM NEW.reason
                OR OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.arrived_at IS DISTINCT FROM NEW.arrived_at;
            BEGIN
              IF TG_OP <> 'INSERT' THEN
            \(mark("OLD"))
              END IF;
              IF TG_OP <> 'DELETE' THEN
            \(mark("NEW"))
              END IF;
              RETURN NULL;
            END $$
            """
    }

    /// SQLite's triggers, doing what PostgreSQL's function does.
    static func sqliteTriggers(_ marks: Marks) -> [String] {
        let moved =
            "(OLD.reason IS NOT NEW.reason OR OLD.customer_id IS NOT NEW.customer_id OR OLD.arrived_at IS NOT NEW.arrived_at)"
        func mark(_ row: String, _ condition: String) -> String {
            """
            INSERT INTO \(marks.table) (program_id, \(marks.column))
            VALUES (\(row).program_id, CAST(\(row).arrived_at / \(marks.seconds) AS INTEGER)) \(marks.conflict);
            INSERT INTO insight_repeats SELECT \(row).program_id, \(row).customer_id, \(row).arrived_at
            WHERE \(row).customer_id IS NOT NULL AND \(row).reason IS NOT NULL AND \(condition);
            """
        }
        return [
            ("INSERT", mark("NEW", "1")), ("UPDATE", mark("OLD", moved) + mark("NEW", moved)),
            ("DELETE", mark("OLD", "1")),
        ].map { event, body in
            "CREATE TRIGGER insight_contacts_\(event.lowercased()) AFTER \(event) ON contacts BEGIN \(body) END"
        }
    }

    /// Makes the triggers mark `marks` (the function replaced on PostgreSQL, the triggers on SQLite).
    static func replaceTriggers(_ marks: Marks, on database: any Database) async throws {
        let sql = try database.sqlDatabase
        if sql.isPostgreSQL {
            try await sql.raw(SQLQueryString(postgresFunction(marks))).run()
            return
        }
        for event in ["insert", "update", "delete"] {
            try await sql.raw("DROP TRIGGER insight_contacts_\(unsafeRaw: event)").run()
        }
        for trigger in sqliteTriggers(marks) { try await sql.raw(SQLQueryString(trigger)).run() }
    }

    func prepare(on database: any Database) async throws {
        try await database.schema(Contact.schema).field("wrapped_at", .datetime).update()
        var hours = database.schema(InsightRollups.hours)
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("day", .string, .required).field("hour", .int, .required).field("channel", .string, .required)
        var reps = database.schema(InsightRollups.reps)
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("day", .string, .required).field("rep_id", .uuid).field("channel", .string, .required)
        for (name, seconds) in Self.counters {
            hours = hours.field(.string(name), seconds ? .double : .int, .required)
            reps = reps.field(.string(name), seconds ? .double : .int, .required)
        }
        try await hours.create()
        try await reps.create()
        try await database.createIndex(on: InsightRollups.hours, columns: "program_id", "day")
        try await database.createIndex(on: InsightRollups.reps, columns: "program_id", "day")
        try await database.createIndex(on: InsightRollups.reps, columns: "rep_id", "day")
        // The dashboard's kudos and root causes over a range of days.
        try await database.createIndex(on: Kudos.schema, columns: "program_id", "created_at")
        try await database.createIndex(on: Survey.schema, columns: "program_id", "answered_at")
        // A day is the UTC day number of a changed contact's arrival (seconds since 1970 ÷ 86400).
        try await database.schema("insight_dirty")
            .field("program_id", .uuid, .required).field("day", .int64, .required)
            .compositeIdentifier(over: "program_id", "day")
            .create()
        // A contact with a customer and a reason, added, changed or removed: the customer's earlier contacts within
        // 7 days may have become (or stopped being) resolved the first time.
        try await database.schema(InsightRollups.repeats)
            .field("program_id", .uuid, .required).field("customer_id", .uuid, .required)
            .field("arrived_at", .datetime, .required)
            .create()
        let sql = try database.sqlDatabase
        if sql.isPostgreSQL {
            try await sql.raw(SQLQueryString(Self.postgresFunction(.days(conflict: "ON CONFLICT DO NOTHING")))).run()
            try await sql.raw(
                """
                CREATE TRIGGER insight_contacts AFTER INSERT OR UPDATE OR DELETE ON contacts
                FOR EACH ROW EXECUTE FUNCTION insight_mark_dirty()
                """
            ).run()
        } else {
            for trigger in Self.sqliteTriggers(.days(conflict: "ON CONFLICT DO NOTHING")) {
                try await sql.raw(SQLQueryString(trigger)).run()
            }
        }
        // What is there already is counted at the first pass.
        try await sql.raw(
            "INSERT INTO insight_dirty (program_id, day) SELECT DISTINCT program_id, \(InsightRollups.utcPeriod(86_400, sql)) FROM contacts"
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sqlDatabase
        if sql.isPostgreSQL {
            try await sql.raw("DROP TRIGGER insight_contacts ON contacts").run()
            try await sql.raw("DROP FUNCTION insight_mark_dirty()").run()
        } else {
            for event in ["insert", "update", "delete"] {
                try await sql.raw("DROP TRIGGER insight_contacts_\(unsafeRaw: event)").run()
            }
        }
        try await database.sqlDatabase.drop(index: "idx_surveys_program_id_answered_at").run()
        try await database.sqlDatabase.drop(index: "idx_kudos_program_id_created_at").run()
        try await database.schema(InsightRollups.repeats).delete()
        try await database.schema("insight_dirty").delete()
        try await database.schema(InsightRollups.reps).delete()
        try await database.schema(InsightRollups.hours).delete()
        try await database.schema(Contact.schema).deleteField("wrapped_at").update()
    }
}
