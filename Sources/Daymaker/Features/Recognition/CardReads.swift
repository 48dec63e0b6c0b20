import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers

/// The card's reads on each database's own interface, because a PBX asks for a card on every contact:
/// SQLite rows are read column by column (no `Codable` per row), and PostgreSQL runs named prepared statements,
/// planned once per connection instead of on every call.
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

    static func people(
        _ match: Match, window: Window, now: Date, on db: any Database
    ) async throws -> [RecognitionCard.Candidate] {
        let bookings = RecognitionCard.upcomingBookings(now: now)
        if let reader = db.sqliteReader {
            return try SQLite.people(match, window: window, bookings: bookings, reader: reader)
        }
        if let postgres = db as? any PostgresDatabase {
            return try await Postgres.people(match, window: window, bookings: bookings, on: postgres, logger: db.logger)
        }
        // On SQLite the card reads committed data through the file's reader, so never inside a transaction.
        throw InternalFault("The recognition card reads SQLite or PostgreSQL, outside transactions.")
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

    // MARK: SQLite

    /// Fluent keeps UUIDs as upper-case text and times as seconds since 1970 in SQLite.
    enum SQLite {
        static func people(
            _ match: Match, window: Window, bookings: (from: Date, until: Date), reader: SQLiteReader
        ) throws -> [RecognitionCard.Candidate] {
            var binds: [SQLiteData] = [
                .float(bookings.from.timeIntervalSince1970), .float(bookings.until.timeIntervalSince1970),
                .float(window.since.timeIntervalSince1970), .integer(window.atLeast), .integer(window.atMost),
            ]
            let values: [SQLiteData]
            switch match {
            case .phone(let program, let e164):
                binds.append(.text(program.text))
                values = [.text(e164)]
            case .emails(let program, let addresses):
                binds.append(.text(program.text))
                values = addresses.map { .text($0) }
            case .handle(let program, let handle):
                binds.append(.text(program.text))
                values = [.text(handle)]
            case .customerNumbers(let program, let numbers):
                binds.append(.text(program.text))
                values = numbers.map { .text($0) }
            case .ids(let ids): values = ids.map { .text($0.text) }
            }
            guard !values.isEmpty else { return [] }
            binds += values
            var people: [RecognitionCard.Candidate] = []
            // Columns by position: the person's (see `personColumns`), the two flags, then the contact's.
            try reader.read(written(match, values: values.count), binds) { row in
                guard let id = row.uuid(0) else { throw malformed("id") }
                if people.last?.id != id {
                    guard let customerNumber = row.text(1) else { throw malformed("customer_number") }
                    guard let fullName = row.text(2) else { throw malformed("full_name") }
                    people.append(
                        .init(
                            id: id, customerNumber: customerNumber, fullName: fullName, preferredName: row.text(3),
                            preferredRepID: row.uuid(4),
                            createdAt: row.double(5).map(Date.init(timeIntervalSince1970:)),
                            hasBookings: row.integer(6) == 1, hasCareNotes: row.integer(7) == 1, contacts: []))
                }
                guard let contactID = row.uuid(8), let arrived = row.double(9), let channel = row.text(10),
                    let direction = row.text(11), let status = row.text(12)
                else { return }
                people[people.count - 1].contacts.append(
                    .init(
                        id: contactID, arrivedAt: Date(timeIntervalSince1970: arrived), channel: channel,
                        direction: direction,
                        status: status, reason: row.text(13), summary: row.text(14), resolution: row.text(15),
                        repID: row.uuid(16)))
            }
            return people
        }

        /// The statements written so far, by kind of identifier and number of values: the hot path neither writes
        /// its statement again nor hands the reader a new string to hash for every card.
        private static let statements = NIOLockedValueBox<[String: String]>([:])

        static func written(_ match: Match, values count: Int) -> String {
            let key = "\(match.kind) \(count)"
            if let sql = statements.withLockedValue({ $0[key] }) { return sql }
            let sql = sql(match, values: count)
            statements.withLockedValue { $0[key] = sql }
            return sql
        }

        /// Parameters: 1–5 as in PostgreSQL, then the program (6) and the identifiers (7…), or for `ids` the ids
        /// (6…). A person's contacts are those from a cutoff time on: the window's
        /// start, or the fifth latest contact if that is older, but never older than the 400th (SQLite cannot
        /// correlate a `LIMIT`, so the cutoff is found by two probes of the same index).
        static func sql(_ match: Match, values count: Int) -> String {
            let p: (Parameter) -> String = { parameter in
                switch parameter {
                case .bookingsFrom: "?1"
                case .bookingsUntil: "?2"
                case .since: "?3"
                case .atLeast: "?4"
                case .atMost: "?5"
                case .program, .values: "?6"
                }
            }
            func nth(_ n: Parameter) -> String {
                "COALESCE((SELECT arrived_at FROM contacts WHERE customer_id = c.id ORDER BY arrived_at DESC LIMIT 1 OFFSET \(p(n)) - 1), 0)"
            }
            let cutoff = "MAX(\(nth(.atMost)), MIN(\(p(.since)), \(nth(.atLeast))))"
            let first = if case .ids = match { 6 } else { 7 }
            let list = "IN (" + (first..<first + count).map { "?\($0)" }.joined(separator: ", ") + ")"
            return cardSQL(
                match, p: p, values: list,
                history: "LEFT JOIN contacts h ON h.customer_id = c.id AND h.arrived_at >= \(cutoff)",
                materialized: false)
        }

        private static func malformed(_ column: String) -> InternalFault {
            InternalFault("A stored record has no readable \(column).")
        }
    }

    // MARK: PostgreSQL

    enum Postgres {
        static func people(
            _ match: Match, window: Window, bookings: (from: Date, until: Date), on db: any PostgresDatabase,
            logger: Logger
        ) async throws -> [RecognitionCard.Candidate] {
            var bindings = PostgresBindings(capacity: 7)
            bindings.append(bookings.from)
            bindings.append(bookings.until)
            bindings.append(window.since)
            bindings.append(window.atLeast)
            bindings.append(window.atMost)
            let rows: [PostgresRow]
            switch match {
            case .phone(let program, let e164):
                bindings.append(program)
                bindings.append(e164)
                rows = try await run(PeopleStatement<ByPhone>(bindings: bindings), on: db, logger: logger)
            case .emails(let program, let addresses):
                bindings.append(program)
                bindings.append(addresses)
                rows = try await run(PeopleStatement<ByEmails>(bindings: bindings), on: db, logger: logger)
            case .handle(let program, let handle):
                bindings.append(program)
                bindings.append(handle)
                rows = try await run(PeopleStatement<ByHandle>(bindings: bindings), on: db, logger: logger)
            case .customerNumbers(let program, let numbers):
                bindings.append(program)
                bindings.append(numbers)
                rows = try await run(PeopleStatement<ByCustomerNumbers>(bindings: bindings), on: db, logger: logger)
            case .ids(let ids):
                bindings.append(ids)
                rows = try await run(PeopleStatement<ByIDs>(bindings: bindings), on: db, logger: logger)
            }
            // One row per contact (or one with no contact), by person and newest contact first; a person's
            // columns are read from their first row only.
            var people: [RecognitionCard.Candidate] = []
            for row in rows {
                let cells = row.makeRandomAccess()
                let id = try cells[0].decode(UUID.self)
                if people.last?.id != id {
                    people.append(
                        try .init(
                            id: id, customerNumber: cells[1].decode(String.self),
                            fullName: cells[2].decode(String.self),
                            preferredName: cells[3].decode(String?.self), preferredRepID: cells[4].decode(UUID?.self),
                            createdAt: cells[5].decode(Date?.self), hasBookings: cells[6].decode(Bool.self),
                            hasCareNotes: cells[7].decode(Bool.self), contacts: []))
                }
                guard let contactID = try cells[8].decode(UUID?.self) else { continue }
                people[people.count - 1].contacts.append(
                    try .init(
                        id: contactID, arrivedAt: cells[9].decode(Date.self), channel: cells[10].decode(String.self),
                        direction: cells[11].decode(String.self), status: cells[12].decode(String.self),
                        reason: cells[13].decode(String?.self), summary: cells[14].decode(String?.self),
                        resolution: cells[15].decode(String?.self), repID: cells[16].decode(UUID?.self)))
            }
            return people
        }

        /// Runs the statement on a pooled connection, in the calling task. (`withConnection` wants a future back;
        /// lending the connection out until the rows are in saves starting a second task for every card.)
        private static func run<Statement: PostgresPreparedStatement>(
            _ statement: Statement, on db: any PostgresDatabase, logger: Logger
        ) async throws -> [Statement.Row] where Statement.Row: Sendable {
            let lent = db.eventLoop.makePromise(of: PostgresConnection.self)
            let done = db.eventLoop.makePromise(of: Void.self)
            db.withConnection { connection in
                lent.succeed(connection)
                return done.futureResult
            }.whenFailure { error in
                // No connection was lent (the server is down, the pool timed out): nobody will finish `done`.
                lent.fail(error)
                done.succeed()
            }
            let connection = try await lent.futureResult.get()
            defer { done.succeed() }
            var rows: [Statement.Row] = []
            for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
            return rows
        }

        /// Which identifier the people statement matches; each is its own prepared statement, named explicitly
        /// (PostgreSQL cuts names at 63 bytes, and the generated ones would collide).
        protocol MatchKind: Sendable {
            /// Named after the identifier's kind (``Match/kind``).
            static var name: String { get }
            /// Written once (PostgresNIO reads it on every execution).
            static var sql: String { get }
        }
        enum ByPhone: MatchKind {
            static let (name, sql) = written(.phone(programID: UUID(), e164: ""))
        }
        enum ByEmails: MatchKind {
            static let (name, sql) = written(.emails(programID: UUID(), []))
        }
        enum ByHandle: MatchKind {
            static let (name, sql) = written(.handle(programID: UUID(), ""))
        }
        enum ByCustomerNumbers: MatchKind {
            static let (name, sql) = written(.customerNumbers(programID: UUID(), []))
        }
        enum ByIDs: MatchKind {
            static let (name, sql) = written(.ids([]))
        }

        /// A statement's name and text for a kind of identifier (the values in `match` are not used).
        private static func written(_ match: Match) -> (String, String) {
            ("daymaker_card_" + match.kind, statementSQL(match))
        }

        /// One phone number or handle is a plain equality, so PostgreSQL settles on one generic plan for the hot
        /// path instead of planning every call.
        static func statementSQL(_ match: Match) -> String {
            let p: (Parameter) -> String = { parameter in
                switch parameter {
                case .bookingsFrom: "$1"
                case .bookingsUntil: "$2"
                case .since: "$3"
                case .atLeast: "$4"
                case .atMost: "$5"
                case .program: "$6"
                case .values: if case .ids = match { "$6" } else { "$7" }
                }
            }
            let values =
                switch match {
                case .phone, .handle: "= \(p(.values))"
                case .emails, .customerNumbers, .ids: "= ANY(\(p(.values)))"
                }
            let contacts = """
                SELECT \(contactColumnNames.joined(separator: ", ")) FROM contacts WHERE customer_id = c.id
                ORDER BY arrived_at DESC LIMIT (\(historyCountSQL(p: p)))
                """
            return cardSQL(
                match, p: p, values: values, history: "LEFT JOIN LATERAL (\(contacts)) h ON true", materialized: true)
        }

        struct PeopleStatement<Kind: MatchKind>: PostgresPreparedStatement {
            /// Rows are read in ``people(_:window:bookings:on:logger:)``, which skips a person's repeated columns.
            typealias Row = PostgresRow
            static var name: String { Kind.name }
            static var sql: String { Kind.sql }
            let bindings: PostgresBindings
            func makeBindings() -> PostgresBindings { bindings }
            func decodeRow(_ row: PostgresRow) -> Row { row }
        }
    }
}
