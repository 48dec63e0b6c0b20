import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers

/// What the recognition card reads, and the statement both databases run for it. `RecognitionReads` has one
/// implementation per database: `CardReads.SQLite` and `CardReads.Postgres`.
///
/// What is read, in one statement: everyone the identifier points at (with flags for upcoming bookings and open
/// care notes) joined with each one's latest contacts (PostgreSQL: a lateral join; SQLite, which has none: a
/// join from the cutoff time found in the same index).
enum CardReads {
    /// Who an identifier points at.
    enum Match: Sendable {
        case phone(programID: UUID, e164: String)
        case emails(programID: UUID, [String])
        case handle(programID: UUID, String)
        case customerNumbers(programID: UUID, [String])
        case ids([UUID])

        /// Which column the identifier is compared with (statements differ by it, not by the values).
        var kind: String {
            switch self {
            case .phone: "phone"
            case .emails: "emails"
            case .handle: "handle"
            case .customerNumbers: "customer_numbers"
            case .ids: "ids"
            }
        }
    }

    /// Which contacts the card reads, newest first: every contact since `since`, but at least the latest
    /// `atLeast` and at most `atMost`.
    struct Window: Sendable {
        let since: Date
        let atLeast: Int
        let atMost: Int
    }

    // MARK: The statements, written once for both databases

    /// The statements' parameters; each database numbers them its own way.
    enum Parameter { case bookingsFrom, bookingsUntil, program, values, since, atLeast, atMost }

    static let personColumns =
        "c.id, c.customer_number, c.full_name, c.preferred_name, c.preferred_rep_id, c.created_at"
    static let contactColumnNames = [
        "id", "arrived_at", "channel", "direction", "status", "reason", "summary", "resolution", "rep_id",
    ]

    /// The card query: people and their latest contacts, one row per contact (or one with no contact), by person
    /// and newest contact first. `values` compares the identifier column with the identifier(s); `history` joins
    /// each person's latest contacts as `h`.
    static func cardSQL(
        _ match: Match, p: (Parameter) -> String, values: String, history: String, materialized: Bool
    ) -> String {
        let (join, condition) =
            switch match {
            case .phone:
                ("JOIN customer_phones k ON k.customer_id = c.id", "k.program_id = \(p(.program)) AND k.e164 \(values)")
            case .emails:
                (
                    "JOIN customer_emails k ON k.customer_id = c.id",
                    "k.program_id = \(p(.program)) AND k.address \(values)"
                )
            case .handle:
                (
                    "JOIN customer_handles k ON k.customer_id = c.id",
                    "k.program_id = \(p(.program)) AND k.handle \(values)"
                )
            case .customerNumbers: ("", "c.program_id = \(p(.program)) AND c.customer_number \(values)")
            case .ids: ("", "c.id \(values)")
            }
        let contacts = contactColumnNames.map { "h." + $0 }.joined(separator: ", ")
        // The people are found, then joined with their contacts. PostgreSQL checks the flags once per person when
        // the people are materialized; for SQLite a temporary table costs more than repeating two index probes.
        return """
            WITH people AS \(materialized ? "MATERIALIZED" : "NOT MATERIALIZED") (
              SELECT \(personColumns),
                EXISTS (SELECT 1 FROM bookings b WHERE b.customer_id = c.id AND b.starts_at >= \(p(.bookingsFrom))
                  AND b.starts_at <= \(p(.bookingsUntil)) AND b.status <> 'cancelled') AS has_bookings,
                EXISTS (SELECT 1 FROM care_notes n WHERE n.customer_id = c.id AND n.retired_at IS NULL) AS has_care_notes
              FROM customers c \(join) WHERE \(condition))
            SELECT c.*, \(contacts) FROM people c \(history) ORDER BY c.id, h.arrived_at DESC
            """
    }

    /// How many of a person's latest contacts the card reads (see ``Window``). The count walks the same index as
    /// the rows, so an occasional caller costs five rows, not their whole past.
    static func historyCountSQL(p: (Parameter) -> String) -> String {
        """
        SELECT CASE WHEN COUNT(*) < \(p(.atLeast)) THEN \(p(.atLeast)) WHEN COUNT(*) > \(p(.atMost)) THEN \(p(.atMost))
          ELSE COUNT(*) END FROM contacts WHERE customer_id = c.id AND arrived_at >= \(p(.since))
        """
    }
}
