import Fluent
import SQLKit

/// Insights' daily roll-ups: each program's contacts counted per day (in the program's zone) and hour and channel,
/// and per day, rep and channel; the days whose contacts changed, marked by triggers on `contacts` (so every
/// change — a late event, a contact moved to another rep — is counted again, whoever makes it); and when a rep
/// saved a contact's wrap-up (its handle time ends there).
struct CreateInsightRollups: AsyncMigration {
    /// The counters' columns (see ``ContactCounters``): counts, or summed seconds.
    static let counters: [(name: String, seconds: Bool)] = [
        ("contacts", false), ("answered", false), ("answered_in_target", false), ("abandoned", false),
        ("abandoned_in_target", false), ("short_abandoned", false), ("wait_seconds", true), ("handled", false),
        ("talk_seconds", true), ("wrap_seconds", true), ("resolution_known", false), ("resolved_first_time", false),
        ("heated", false), ("abusive", false),
    ]

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
        // A day is the UTC day number of a changed contact's arrival (seconds since 1970 ÷ 86400).
        try await database.schema(InsightRollups.dirty)
            .field("program_id", .uuid, .required).field("day", .int64, .required)
            .compositeIdentifier(over: "program_id", "day")
            .create()
        let sql = try database.sqlDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION insight_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP <> 'INSERT' THEN
                    INSERT INTO insight_dirty (program_id, day)
                    VALUES (OLD.program_id, floor(extract(epoch FROM OLD.arrived_at) / 86400)::bigint)
                    ON CONFLICT DO NOTHING;
                  END IF;
                  IF TG_OP <> 'DELETE' THEN
                    INSERT INTO insight_dirty (program_id, day)
                    VALUES (NEW.program_id, floor(extract(epoch FROM NEW.arrived_at) / 86400)::bigint)
                    ON CONFLICT DO NOTHING;
                  END IF;
                  RETURN NULL;
                END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER insight_contacts AFTER INSERT OR UPDATE OR DELETE ON contacts
                FOR EACH ROW EXECUTE FUNCTION insight_mark_dirty()
                """
            ).run()
        } else {
            let mark = { (row: String) in
                "INSERT OR IGNORE INTO insight_dirty (program_id, day) VALUES (\(row).program_id, CAST(\(row).arrived_at / 86400 AS INTEGER));"
            }
            for (event, rows) in [("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])] {
                try await sql.raw(
                    """
                    CREATE TRIGGER insight_contacts_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event) ON contacts
                    BEGIN \(unsafeRaw: rows.map(mark).joined(separator: " ")) END
                    """
                ).run()
            }
        }
        // What is there already is counted at the first pass.
        try await sql.raw(
            "INSERT INTO insight_dirty (program_id, day) SELECT DISTINCT program_id, \(InsightRollups.utcDay(sql)) FROM contacts"
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sqlDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER insight_contacts ON contacts").run()
            try await sql.raw("DROP FUNCTION insight_mark_dirty()").run()
        } else {
            for event in ["insert", "update", "delete"] {
                try await sql.raw("DROP TRIGGER insight_contacts_\(unsafeRaw: event)").run()
            }
        }
        try await database.schema(InsightRollups.dirty).delete()
        try await database.schema(InsightRollups.reps).delete()
        try await database.schema(InsightRollups.hours).delete()
        try await database.schema(Contact.schema).deleteField("wrapped_at").update()
    }
}
