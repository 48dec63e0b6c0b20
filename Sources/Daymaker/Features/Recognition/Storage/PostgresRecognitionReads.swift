import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

extension CardReads {
    /// The card's reads on PostgreSQL: one named prepared statement per kind of identifier.
    struct Postgres: RecognitionReads {
        func people(
            _ match: Match, window: Window, bookings: (from: Date, until: Date), on database: any Database
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
                rows = try await database.postgresRows(ByPhone.self, bindings)
            case .emails(let program, let addresses):
                bindings.append(program)
                bindings.append(addresses)
                rows = try await database.postgresRows(ByEmails.self, bindings)
            case .handle(let program, let handle):
                bindings.append(program)
                bindings.append(handle)
                rows = try await database.postgresRows(ByHandle.self, bindings)
            case .customerNumbers(let program, let numbers):
                bindings.append(program)
                bindings.append(numbers)
                rows = try await database.postgresRows(ByCustomerNumbers.self, bindings)
            case .ids(let ids):
                bindings.append(ids)
                rows = try await database.postgresRows(ByIDs.self, bindings)
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

        // Which identifier the people statement matches; each is its own prepared statement, named explicitly
        // (PostgreSQL cuts names at 63 bytes, and the generated ones would collide).
        enum ByPhone: PreparedText {
            static let (name, sql) = written(.phone(programID: UUID(), e164: ""))
        }
        enum ByEmails: PreparedText {
            static let (name, sql) = written(.emails(programID: UUID(), []))
        }
        enum ByHandle: PreparedText {
            static let (name, sql) = written(.handle(programID: UUID(), ""))
        }
        enum ByCustomerNumbers: PreparedText {
            static let (name, sql) = written(.customerNumbers(programID: UUID(), []))
        }
        enum ByIDs: PreparedText {
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
    }
}
