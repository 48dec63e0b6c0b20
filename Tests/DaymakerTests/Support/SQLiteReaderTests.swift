import FluentKit
import Foundation
import Testing
import Vapor

@testable import Daymaker

/// The SQLite file's read-only connections, which keep their compiled statements (the card's read path).
@Suite struct SQLiteReaderTests {
    private func names(_ reader: SQLiteReader, number: String) throws -> [String] {
        var names: [String] = []
        try reader.read("SELECT full_name FROM customers WHERE customer_number = ?1", [.text(number)]) { row in
            names.append(row.text(0) ?? "")
        }
        return names
    }

    @Test func reusedStatementsReadNewBindsAndCommittedWrites() async throws {
        guard !testingOnPostgres else { return }
        try await withApp { app in
            let world = try await World.make(on: app)
            let reader = try #require(app.sqliteReader)
            #expect(try names(reader, number: world.rideCustomer.customerNumber) == [world.rideCustomer.fullName])
            #expect(try names(reader, number: world.helpCustomer.customerNumber) == [world.helpCustomer.fullName])
            #expect(try names(reader, number: "NOBODY").isEmpty)
            // A write committed on Fluent's connection is seen by the next read of the same compiled statement.
            world.rideCustomer.fullName = "Johnathan Rider"
            try await world.rideCustomer.save(on: app.db)
            #expect(try names(reader, number: world.rideCustomer.customerNumber) == ["Johnathan Rider"])
        }
    }

    @Test func readsTypedColumns() async throws {
        guard !testingOnPostgres else { return }
        try await withApp { app in
            let world = try await World.make(on: app)
            let reader = try #require(app.sqliteReader)
            var seen: [(UUID?, Double?, Int?, Bool)] = []
            try reader.read(
                "SELECT id, created_at, 7, NULL FROM customers WHERE id = ?1",
                [.text(world.rideCustomer.id!.uuidString)]
            ) {
                seen.append(($0.uuid(0), $0.double(1), $0.integer(2), $0.isNull(3)))
            }
            #expect(seen.count == 1)
            #expect(seen.first?.0 == world.rideCustomer.id)
            #expect(seen.first?.1 == world.rideCustomer.createdAt?.timeIntervalSince1970)
            #expect(seen.first?.2 == 7)
            #expect(seen.first?.3 == true)
        }
    }

    @Test func readOnlyAndFailuresAreErrors() async throws {
        guard !testingOnPostgres else { return }
        try await withApp { app in
            let world = try await World.make(on: app)
            let reader = try #require(app.sqliteReader)
            #expect(throws: SQLiteFailure.self) { try reader.read("SELECT nothing FROM nowhere", []) { _ in } }
            #expect(throws: SQLiteFailure.self) { try reader.read("DELETE FROM contacts", []) { _ in } }
            #expect(try await Contact.query(on: app.db).count() == 2)
            // The connection is still good after the failures.
            #expect(try names(reader, number: world.rideCustomer.customerNumber) == [world.rideCustomer.fullName])
        }
    }

    @Test func manyDistinctStatementsStillReadRight() async throws {
        guard !testingOnPostgres else { return }
        try await withApp { app in
            let reader = try #require(app.sqliteReader)
            // More distinct statements than a connection keeps, twice over: old ones are dropped, not reused wrongly.
            for round in 0..<2 {
                for n in 0..<80 {
                    var value: Int?
                    try reader.read("SELECT ?1 + \(n)", [.integer(round)]) { value = $0.integer(0) }
                    #expect(value == round + n)
                }
            }
        }
    }

    @Test func theCardDoesNotReadInsideATransaction() async throws {
        guard !testingOnPostgres else { return }
        try await withApp { app in
            let reads = try #require(app.cardSources.reads as? CardReads.SQLite)
            let window = CardReads.Window(since: World.now.addingTimeInterval(-86_400), atLeast: 5, atMost: 50)
            let bookings = RecognitionCard.upcomingBookings(now: World.now)
            #expect(try await reads.people(.ids([UUID()]), window: window, bookings: bookings, on: app.db).isEmpty)
            // The reader sees only committed rows, so inside a transaction it would miss the transaction's writes.
            await #expect(throws: InternalFault.self) {
                try await app.db.transaction { tx in
                    _ = try await reads.people(.ids([UUID()]), window: window, bookings: bookings, on: tx)
                }
            }
        }
    }

    @Test func eachDatabaseHasItsOwnCardReads() async throws {
        try await withApp { app in
            if testingOnPostgres {
                #expect(app.cardSources.reads is CardReads.Postgres)
            } else {
                #expect(app.cardSources.reads is CardReads.SQLite)
            }
        }
    }
}

extension Application {
    /// The SQLite file's reader, when the card reads SQLite.
    fileprivate var sqliteReader: SQLiteReader? { (cardSources.reads as? CardReads.SQLite)?.reader }
}
