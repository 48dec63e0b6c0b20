import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers

extension CardReads {
    /// The card's reads on PostgreSQL: one named prepared statement per kind of identifier.
    struct Postgres: RecognitionReads {
        func people(
            _ match: Match, window: Window, bookings: (from: Date, until: Date), on database: any Database
        ) async throws -> [RecognitionCard.Candidate] {
            guard let db = database as? any PostgresDatabase else {
                throw InternalFault("The PostgreSQL card reads were given another database.")
            }
            let logger = database.logger
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
                rows = try await Self.run(PeopleStatement<ByPhone>(bindings: bindings), on: db, logger: logger)
            case .emails(let program, let addresses):
                bindings.append(program)
                bindings.append(addresses)
                rows = try await Self.run(PeopleStatement<ByEmails>(bindings: bindings), on: db, logger: logger)
            case .handle(let program, let handle):
                bindings.append(program)
                bindings.append(handle)
                rows = try await Self.run(PeopleStatement<ByHandle>(bindings: bindings), on: db, logger: logger)
            case .customerNumbers(let program, let numbers):
                bindings.append(program)
                bindings.append(numbers)
                rows = try await Self.run(
                    PeopleStatement<ByCustomerNumbers>(bindings: bindings), on: db, logger: logger)
            case .ids(let ids):
                bindings.append(ids)
                rows = try await Self.run(PeopleStatement<ByIDs>(bindings: bindings), on: db, logger: logger)
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
            /// Rows are read in ``people(_:window:bookings:on:)``, which skips a person's repeated columns.
            typealias Row = PostgresRow
            static var name: String { Kind.name }
            static var sql: String { Kind.sql }
            let bindings: PostgresBindings
            func makeBindings() -> PostgresBindings { bindings }
            func decodeRow(_ row: PostgresRow) -> Row { row }
        }
    }
}
