import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers

extension CardReads {
    /// The card's reads on SQLite, through the file's read-only connections. (Fluent keeps UUIDs as upper-case
    /// text and times as seconds since 1970 in SQLite.)
    struct SQLite: RecognitionReads {
        let reader: SQLiteReader

        func people(
            _ match: Match, window: Window, bookings: (from: Date, until: Date), on db: any Database
        ) async throws -> [RecognitionCard.Candidate] {
            // The reader sees what is committed; inside a transaction the card would miss the transaction's writes.
            guard !db.inTransaction else {
                throw InternalFault("The recognition card reads SQLite outside transactions.")
            }
            var binds: [SQLiteData] = [
                .float(bookings.from.timeIntervalSince1970), .float(bookings.until.timeIntervalSince1970),
                .float(window.since.timeIntervalSince1970), .integer(window.atLeast), .integer(window.atMost),
            ]
            let values: [SQLiteData]
            switch match {
            case .phone(let program, let e164):
                binds.append(.text(program.uuidString))
                values = [.text(e164)]
            case .emails(let program, let addresses):
                binds.append(.text(program.uuidString))
                values = addresses.map { .text($0) }
            case .handle(let program, let handle):
                binds.append(.text(program.uuidString))
                values = [.text(handle)]
            case .customerNumbers(let program, let numbers):
                binds.append(.text(program.uuidString))
                values = numbers.map { .text($0) }
            case .ids(let ids): values = ids.map { .text($0.uuidString) }
            }
            guard !values.isEmpty else { return [] }
            binds += values
            var people: [RecognitionCard.Candidate] = []
            // Columns by position: the person's (see `personColumns`), the two flags, then the contact's.
            try reader.read(Self.written(match, values: values.count), binds) { row in
                guard let id = row.uuid(0) else { throw Self.malformed("id") }
                if people.last?.id != id {
                    guard let customerNumber = row.text(1) else { throw Self.malformed("customer_number") }
                    guard let fullName = row.text(2) else { throw Self.malformed("full_name") }
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
}
