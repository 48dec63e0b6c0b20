import Fluent
import SQLKit

/// On PostgreSQL the insight roll-ups' marks (`insight_marks`, `insight_repeats`; see migrations 018 and 021) are
/// written once per statement that changes contacts, from its transition tables, instead of once per row: a group
/// of contact events writing 25 contacts ran the row trigger 25 times (an upsert of the same hour's mark each) inside
/// the window in which its new contacts wait for their offers. The marks are the same (every hour a written contact
/// arrived in, before and after the change; the repeats of contacts with a customer and a reason that were added,
/// removed, or changed in their customer, reason or arrival), taken in the order of their keys, so two writes take
/// the same marks in the same order. PostgreSQL lets a trigger with transition tables have one event only: three
/// triggers share the function. SQLite has no statement triggers; its row triggers stay. (Measured: no difference
/// end to end for contact events, where the indexes of a ten-million-row table cost far more; a statement updating
/// 20,000 contacts takes a quarter less. See `docs/benchmarks/events-2026-12-07-statement-marks.md`.)
struct UpdateInsightMarksPerStatement: AsyncMigration {
    /// The hours of the rows of `tables` (transition tables), each marked once (an upsert may not meet a row twice),
    /// in the order of their keys.
    private static func mark(_ tables: String...) -> String {
        let hours = tables.map {
            "SELECT DISTINCT program_id, floor(extract(epoch FROM arrived_at) / 3600)::bigint FROM \($0)"
        }
        return """
            INSERT INTO insight_marks (program_id, hour) \(hours.joined(separator: " UNION "))
            ORDER BY 1, 2 \(UpdateInsightsCountedByHour.marks.conflict);
            """
    }

    /// The rows of `table` that may be repeats: those with a customer and a reason.
    private static func note(_ table: String) -> String {
        """
        INSERT INTO insight_repeats SELECT program_id, customer_id, arrived_at FROM \(table)
        WHERE customer_id IS NOT NULL AND reason IS NOT NULL;
        """
    }

    private static let function = """
        CREATE OR REPLACE FUNCTION insight_mark_statement() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            \(mark("new_rows")) \(note("new_rows"))
          ELSIF TG_OP = 'DELETE' THEN
            \(mark("old_rows")) \(note("old_rows"))
          ELSE
            \(mark("old_rows", "new_rows"))
            INSERT INTO insight_repeats SELECT r.program_id, r.customer_id, r.arrived_at
            FROM old_rows o JOIN new_rows n ON n.id = o.id,
            LATERAL (VALUES (o.program_id, o.customer_id, o.arrived_at, o.reason),
              (n.program_id, n.customer_id, n.arrived_at, n.reason)) AS r(program_id, customer_id, arrived_at, reason)
            WHERE r.customer_id IS NOT NULL AND r.reason IS NOT NULL AND (o.reason IS DISTINCT FROM n.reason
              OR o.customer_id IS DISTINCT FROM n.customer_id OR o.arrived_at IS DISTINCT FROM n.arrived_at);
          END IF;
          RETURN NULL;
        END $$
        """

    /// The three triggers: the event and the transition tables each names.
    private static let triggers = [
        ("insert", "INSERT", "NEW TABLE AS new_rows"),
        ("update", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("delete", "DELETE", "OLD TABLE AS old_rows"),
    ]

    func prepare(on database: any Database) async throws {
        let sql = try database.sqlDatabase
        guard sql.isPostgreSQL else { return }
        try await sql.raw(SQLQueryString(Self.function)).run()
        try await sql.raw("DROP TRIGGER insight_contacts ON contacts").run()
        for (name, event, tables) in Self.triggers {
            try await sql.raw(
                """
                CREATE TRIGGER insight_contacts_\(unsafeRaw: name) AFTER \(unsafeRaw: event) ON contacts
                REFERENCING \(unsafeRaw: tables) FOR EACH STATEMENT EXECUTE FUNCTION insight_mark_statement()
                """
            ).run()
        }
        try await sql.raw("DROP FUNCTION insight_mark_dirty()").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sqlDatabase
        guard sql.isPostgreSQL else { return }
        try await sql.raw(SQLQueryString(CreateInsightRollups.postgresFunction(UpdateInsightsCountedByHour.marks)))
            .run()
        for (name, _, _) in Self.triggers {
            try await sql.raw("DROP TRIGGER insight_contacts_\(unsafeRaw: name) ON contacts").run()
        }
        try await sql.raw(
            """
            CREATE TRIGGER insight_contacts AFTER INSERT OR UPDATE OR DELETE ON contacts
            FOR EACH ROW EXECUTE FUNCTION insight_mark_dirty()
            """
        ).run()
        try await sql.raw("DROP FUNCTION insight_mark_statement()").run()
    }
}
