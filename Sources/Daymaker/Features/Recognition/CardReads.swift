import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

/// The card's two reads on each database's own interface, because a PBX asks for a card on every contact:
/// SQLite rows are read column by column (no `Codable` per row), and PostgreSQL runs named prepared statements,
/// planned once per connection instead of on every call.
///
/// A card costs these two statements per person found: the customer (with flags for upcoming bookings and open
/// care notes) and their latest contacts.
enum CardReads {
    /// Who an identifier points at.
    enum Match: Sendable {
        case phone(programID: UUID, e164: String)
        case emails(programID: UUID, [String])
        case handle(programID: UUID, String)
        case customerNumbers(programID: UUID, [String])
        case ids([UUID])
    }

    static func people(_ match: Match, now: Date, on db: any Database) async throws -> [RecognitionCard.Candidate] {
        let from = now.addingTimeInterval(-3600), until = now.addingTimeInterval(7 * 86_400)
        if let sqlite = db as? any SQLiteDatabase {
            return try await SQLite.people(match, from: from, until: until, on: sqlite)
        }
        if let postgres = db as? any PostgresDatabase {
            return try await Postgres.people(match, from: from, until: until, on: postgres, logger: db.logger)
        }
        throw Problem.internal("The recognition card needs SQLite or PostgreSQL.")
    }

    /// What the card reads of a customer's contacts, newest first: every contact since `since`, but at least the
    /// latest `atLeast` and at most `atMost`.
    struct History: Sendable {
        let customerID: UUID
        let since: Date
        let atLeast: Int
        let atMost: Int
    }

    static func recentContacts(_ history: History, on db: any Database) async throws -> [RecognitionCard.Recent] {
        if let sqlite = db as? any SQLiteDatabase {
            return try await SQLite.recentContacts(history, on: sqlite)
        }
        if let postgres = db as? any PostgresDatabase {
            return try await Postgres.recentContacts(history, on: postgres, logger: db.logger)
        }
        throw Problem.internal("The recognition card needs SQLite or PostgreSQL.")
    }

    // MARK: The statements, written once for both databases

    /// The people query; `p(n)` writes the n-th parameter. Parameters 1 and 2 bound the upcoming bookings.
    static func peopleSQL(_ match: Match, p: (Int) -> String, values: String) -> String {
        let clause = switch match {
        case .phone: "JOIN customer_phones k ON k.customer_id = c.id WHERE k.program_id = \(p(3)) AND k.e164 \(values)"
        case .emails: "JOIN customer_emails k ON k.customer_id = c.id WHERE k.program_id = \(p(3)) AND k.address \(values)"
        case .handle: "JOIN customer_handles k ON k.customer_id = c.id WHERE k.program_id = \(p(3)) AND k.handle \(values)"
        case .customerNumbers: "WHERE c.program_id = \(p(3)) AND c.customer_number \(values)"
        case .ids: "WHERE c.id \(values)"
        }
        return """
            SELECT c.id, c.customer_number, c.full_name, c.preferred_name, c.preferred_rep_id, c.created_at,
              EXISTS (SELECT 1 FROM bookings b WHERE b.customer_id = c.id AND b.starts_at >= \(p(1))
                AND b.starts_at <= \(p(2)) AND b.status <> 'cancelled') AS has_bookings,
              EXISTS (SELECT 1 FROM care_notes n WHERE n.customer_id = c.id AND n.retired_at IS NULL) AS has_care_notes
            FROM customers c \(clause)
            """
    }

    /// Parameters: customer, since, at least, at most (see ``History``). The count in the limit walks the same
    /// index as the rows, so an occasional caller costs five rows, not their whole past.
    static func recentSQL(p: (Int) -> String) -> String {
        """
        SELECT id, arrived_at, channel, direction, status, reason, summary, resolution, rep_id FROM contacts
        WHERE customer_id = \(p(1)) ORDER BY arrived_at DESC
        LIMIT (SELECT CASE WHEN COUNT(*) < \(p(3)) THEN \(p(3)) WHEN COUNT(*) > \(p(4)) THEN \(p(4)) ELSE COUNT(*) END
               FROM contacts WHERE customer_id = \(p(1)) AND arrived_at >= \(p(2)))
        """
    }

    // MARK: SQLite

    /// Fluent keeps UUIDs as upper-case text and times as seconds since 1970 in SQLite.
    enum SQLite {
        static func people(
            _ match: Match, from: Date, until: Date, on db: any SQLiteDatabase
        ) async throws -> [RecognitionCard.Candidate] {
            var binds: [SQLiteData] = [.float(from.timeIntervalSince1970), .float(until.timeIntervalSince1970)]
            let values: [SQLiteData]
            switch match {
            case .phone(let program, let e164): binds.append(.text(program.text)); values = [.text(e164)]
            case .emails(let program, let addresses): binds.append(.text(program.text)); values = addresses.map { .text($0) }
            case .handle(let program, let handle): binds.append(.text(program.text)); values = [.text(handle)]
            case .customerNumbers(let program, let numbers): binds.append(.text(program.text)); values = numbers.map { .text($0) }
            case .ids(let ids): values = ids.map { .text($0.text) }
            }
            guard !values.isEmpty else { return [] }
            binds += values
            let list = "IN (" + Array(repeating: "?", count: values.count).joined(separator: ", ") + ")"
            // Numbered parameters first; the plain `?` of the list continue after the highest number.
            let rows = try await db.query(peopleSQL(match, p: { "?\($0)" }, values: list), binds)
            return try rows.map { row in
                try .init(
                    id: uuid(row, "id"), customerNumber: text(row, "customer_number"), fullName: text(row, "full_name"),
                    preferredName: row.column("preferred_name")?.string, preferredRepID: row.column("preferred_rep_id").flatMap(uuid),
                    createdAt: row.column("created_at")?.double.map(Date.init(timeIntervalSince1970:)),
                    hasBookings: row.column("has_bookings")?.integer == 1, hasCareNotes: row.column("has_care_notes")?.integer == 1)
            }
        }

        static func recentContacts(_ history: History, on db: any SQLiteDatabase) async throws -> [RecognitionCard.Recent] {
            let binds: [SQLiteData] = [
                .text(history.customerID.text), .float(history.since.timeIntervalSince1970), .integer(history.atLeast),
                .integer(history.atMost),
            ]
            let rows = try await db.query(recentSQL(p: { "?\($0)" }), binds)
            return try rows.map { row in
                guard let arrived = row.column("arrived_at")?.double else { throw malformed("arrived_at") }
                return try .init(
                    id: uuid(row, "id"), arrivedAt: Date(timeIntervalSince1970: arrived), channel: text(row, "channel"),
                    direction: text(row, "direction"), status: text(row, "status"), reason: row.column("reason")?.string,
                    summary: row.column("summary")?.string, resolution: row.column("resolution")?.string,
                    repID: row.column("rep_id").flatMap(uuid))
            }
        }

        private static func uuid(_ data: SQLiteData) -> UUID? { data.string.flatMap(UUID.init(text:)) }

        private static func uuid(_ row: SQLiteRow, _ column: String) throws -> UUID {
            guard let value = row.column(column).flatMap(uuid) else { throw malformed(column) }
            return value
        }

        private static func text(_ row: SQLiteRow, _ column: String) throws -> String {
            guard let value = row.column(column)?.string else { throw malformed(column) }
            return value
        }

        private static func malformed(_ column: String) -> Problem {
            Problem.internal("A stored record has no readable \(column).")
        }
    }

    // MARK: PostgreSQL

    enum Postgres {
        static func people(
            _ match: Match, from: Date, until: Date, on db: any PostgresDatabase, logger: Logger
        ) async throws -> [RecognitionCard.Candidate] {
            var bindings = PostgresBindings(capacity: 4)
            bindings.append(from)
            bindings.append(until)
            let rows: [PeopleRow]
            switch match {
            case .phone(let program, let e164):
                bindings.append(program); bindings.append(e164)
                rows = try await run(PeopleStatement<ByPhone>(bindings: bindings), on: db, logger: logger)
            case .emails(let program, let addresses):
                bindings.append(program); bindings.append(addresses)
                rows = try await run(PeopleStatement<ByEmails>(bindings: bindings), on: db, logger: logger)
            case .handle(let program, let handle):
                bindings.append(program); bindings.append(handle)
                rows = try await run(PeopleStatement<ByHandle>(bindings: bindings), on: db, logger: logger)
            case .customerNumbers(let program, let numbers):
                bindings.append(program); bindings.append(numbers)
                rows = try await run(PeopleStatement<ByCustomerNumbers>(bindings: bindings), on: db, logger: logger)
            case .ids(let ids):
                bindings.append(ids)
                rows = try await run(PeopleStatement<ByIDs>(bindings: bindings), on: db, logger: logger)
            }
            return rows.map {
                .init(id: $0.0, customerNumber: $0.1, fullName: $0.2, preferredName: $0.3, preferredRepID: $0.4,
                      createdAt: $0.5, hasBookings: $0.6, hasCareNotes: $0.7)
            }
        }

        static func recentContacts(
            _ history: History, on db: any PostgresDatabase, logger: Logger
        ) async throws -> [RecognitionCard.Recent] {
            try await run(RecentStatement(history: history), on: db, logger: logger).map {
                .init(id: $0.0, arrivedAt: $0.1, channel: $0.2, direction: $0.3, status: $0.4, reason: $0.5, summary: $0.6,
                      resolution: $0.7, repID: $0.8)
            }
        }

        private static func run<Statement: PostgresPreparedStatement>(
            _ statement: Statement, on db: any PostgresDatabase, logger: Logger
        ) async throws -> [Statement.Row] where Statement.Row: Sendable {
            try await db.withConnection { connection in
                connection.eventLoop.makeFutureWithTask {
                    var rows: [Statement.Row] = []
                    for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
                    return rows
                }
            }.get()
        }

        typealias PeopleRow = (UUID, String, String, String?, UUID?, Date?, Bool, Bool)

        /// Which identifier the people statement matches; each is its own prepared statement, named explicitly
        /// (PostgreSQL cuts names at 63 bytes, and the generated ones would collide).
        protocol MatchKind: Sendable {
            static var match: Match { get }
            static var name: String { get }
        }
        enum ByPhone: MatchKind {
            static var match: Match { .phone(programID: UUID(), e164: "") }
            static let name = "phone"
        }
        enum ByEmails: MatchKind {
            static var match: Match { .emails(programID: UUID(), []) }
            static let name = "emails"
        }
        enum ByHandle: MatchKind {
            static var match: Match { .handle(programID: UUID(), "") }
            static let name = "handle"
        }
        enum ByCustomerNumbers: MatchKind {
            static var match: Match { .customerNumbers(programID: UUID(), []) }
            static let name = "customer_numbers"
        }
        enum ByIDs: MatchKind {
            static var match: Match { .ids([]) }
            static let name = "ids"
        }

        struct PeopleStatement<Kind: MatchKind>: PostgresPreparedStatement {
            typealias Row = PeopleRow
            static var name: String { "daymaker_card_people_" + Kind.name }
            /// One phone number or handle is a plain equality, so PostgreSQL settles on one generic plan for the
            /// hot path instead of planning every call.
            static var sql: String {
                let values = switch Kind.match {
                case .phone, .handle: "= $4"
                case .emails, .customerNumbers: "= ANY($4)"
                case .ids: "= ANY($3)"
                }
                return peopleSQL(Kind.match, p: { "$\($0)" }, values: values)
            }
            let bindings: PostgresBindings
            func makeBindings() -> PostgresBindings { bindings }
            func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
        }

        struct RecentStatement: PostgresPreparedStatement {
            typealias Row = (UUID, Date, String, String, String, String?, String?, String?, UUID?)
            static let name = "daymaker_card_recent"
            static let sql = recentSQL(p: { "$\($0)" })
            let history: History
            func makeBindings() -> PostgresBindings {
                var bindings = PostgresBindings(capacity: 4)
                bindings.append(history.customerID)
                bindings.append(history.since)
                bindings.append(history.atLeast)
                bindings.append(history.atMost)
                return bindings
            }
            func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
        }
    }
}
