import DaymakerCore
import FluentKit
import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import Vapor

@testable import Daymaker

/// The SQLite connection groups of contact events are written on: its transactions commit, roll back and take
/// turns with Fluent's, and what it writes and reads is what Fluent writes and reads.
@Suite struct SQLiteWriterTests {
    private func change(_ id: UUID, user: UUID, at: Date, by: UUID? = nil) -> [any Encodable & Sendable] {
        [id, user, Presence.away.rawValue, at, by]
    }

    private func insert(_ values: [any Encodable & Sendable], on sql: any SQLDatabase) async throws {
        try await sql.insert(into: PresenceChange.schema).columns("id", "user_id", "state", "at", "changed_by")
            .values(values).run()
    }

    @Test func writesAndReadsWhatFluentDoes() async throws {
        guard !testingOnPostgres else { return }
        try await withApp { app in
            let world = try await World.make(on: app)
            let writer = try #require(app.events.sqliteWriter)
            let id = UUID()
            let at = Date(timeIntervalSince1970: 1_796_000_000.25)
            let read = try await writer.transaction { sql in
                try await insert(change(id, user: world.rep.id, at: at, by: world.supervisor.id), on: sql)
                // Its own write, read back in the transaction.
                return try await sql.select().columns("id", "at", "changed_by", "state").from(PresenceChange.schema)
                    .where("id", .equal, id).first()
            }
            let row = try #require(read)
            #expect(try row.decode(column: "id", as: UUID.self) == id)
            #expect(try row.decode(column: "at", as: Date.self) == at)
            #expect(try row.decode(column: "changed_by", as: UUID?.self) == world.supervisor.id)
            #expect(try row.decode(column: "state", as: Presence.self) == .away)
            #expect(row.allColumns == ["id", "at", "changed_by", "state"])
            #expect(throws: (any Error).self) { try row.decode(column: "missing", as: String.self) }
            let stored = try #require(try await PresenceChange.find(id, on: app.db))
            #expect(stored.$user.id == world.rep.id)
            #expect(stored.at == at)
            #expect(stored.changedBy == world.supervisor.id)
        }
    }

    /// Fifty writes at the same instant, every other one throwing after it wrote: the others are all stored, the
    /// throwing ones leave nothing, and each caller hears its own answer (on SQLite they share groups).
    @Test func groupedWritesThatThrowAreUndoneAloneAndTheOthersStand() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let at = Date(timeIntervalSince1970: 1_796_000_000)
            struct Refused: Error, Equatable { let index: Int }
            let answers = await withTaskGroup(of: (Int, UUID, Result<Int, Refused>).self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let id = UUID()
                        do {
                            let answer = try await app.events.groupedWrite(on: app.db) { sql, _ in
                                try await insert(change(id, user: world.rep.id, at: at), on: sql)
                                if index.isMultiple(of: 2) { throw Refused(index: index) }
                                return index
                            }
                            return (index, id, .success(answer))
                        } catch {
                            return (index, id, .failure(error as! Refused))
                        }
                    }
                }
                var all: [(Int, UUID, Result<Int, Refused>)] = []
                for await answer in group { all.append(answer) }
                return all
            }
            #expect(answers.count == 50)
            for (index, id, answer) in answers {
                let stored = try await PresenceChange.find(id, on: app.db) != nil
                if index.isMultiple(of: 2) {
                    #expect(answer == .failure(Refused(index: index)) && !stored)
                } else {
                    #expect(answer == .success(index) && stored)
                }
            }
        }
    }

    @Test func decodesValuesAsSQLiteKitDoes() async throws {
        guard !testingOnPostgres else { return }
        try await withApp { app in
            let writer = try #require(app.events.sqliteWriter)
            let read = try await writer.transaction { sql in
                try await sql.raw(
                    """
                    SELECT 1 AS yes, 0 AS no, 2 AS two, 7 AS seven, NULL AS missing, 'x' AS text, 1.5 AS seconds,
                    1796000000.1234567 AS fine
                    """
                ).first()
            }
            let row = try #require(read)
            #expect(try row.decode(column: "yes", as: Bool.self) == true)
            #expect(try row.decode(column: "no", as: Bool.self) == false)
            #expect(throws: (any Error).self) { try row.decode(column: "two", as: Bool.self) }
            #expect(try row.decode(column: "seven", as: Int.self) == 7)
            #expect(try row.decode(column: "seven", as: Date.self) == Date(timeIntervalSince1970: 7))
            #expect(try row.decode(column: "seconds", as: Date?.self) == Date(timeIntervalSince1970: 1.5))
            // To the microsecond, as SQLiteNIO reads a time.
            let fine = try SQLiteDataDecoder().decode(Date.self, from: .float(1_796_000_000.1234567))
            #expect(try row.decode(column: "fine", as: Date.self) == fine)
            #expect(fine != Date(timeIntervalSince1970: 1_796_000_000.1234567))
            #expect(try row.decode(column: "missing", as: UUID?.self) == nil)
            #expect(try row.decode(column: "missing", as: Date?.self) == nil)
            #expect(try row.decode(column: "missing", as: String?.self) == nil)
            #expect(try row.decodeNil(column: "missing"))
            #expect(try row.decode(column: "text", as: String?.self) == "x")
            #expect(throws: (any Error).self) { try row.decode(column: "text", as: UUID.self) }
        }
    }

    @Test func aFailureRollsBackAndABrokenIndexSaysSo() async throws {
        guard !testingOnPostgres else { return }
        try await withApp { app in
            let world = try await World.make(on: app)
            let writer = try #require(app.events.sqliteWriter)
            let first = UUID()
            await #expect(throws: CancellationError.self) {
                try await writer.transaction { sql in
                    try await insert(change(first, user: world.rep.id, at: app.clock.now), on: sql)
                    throw CancellationError()
                }
            }
            #expect(try await PresenceChange.find(first, on: app.db) == nil)
            let failure = await #expect(throws: SQLiteFailure.self) {
                try await writer.transaction { sql in
                    try await insert(change(first, user: world.rep.id, at: app.clock.now), on: sql)
                    try await insert(change(first, user: world.rep.id, at: app.clock.now), on: sql)
                }
            }
            #expect(failure?.isConstraintFailure == true)
            #expect(try await PresenceChange.query(on: app.db).count() == 0)
            // The connection is still good.
            try await writer.transaction { sql in
                try await insert(change(first, user: world.rep.id, at: app.clock.now), on: sql)
            }
            #expect(try await PresenceChange.query(on: app.db).count() == 1)
        }
    }

    @Test func itsTransactionsTakeTurnsWithFluents() async throws {
        guard !testingOnPostgres else { return }
        try await withApp { app in
            let world = try await World.make(on: app)
            let writer = try #require(app.events.sqliteWriter)
            // Forty transactions at once, half on each side: each waits its turn, none is refused as locked.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        if index.isMultiple(of: 2) {
                            try await writer.transaction { sql in
                                try await insert(change(UUID(), user: world.rep.id, at: app.clock.now), on: sql)
                            }
                        } else {
                            try await app.db.writeTransaction { db in
                                try await PresenceChange(
                                    user: world.rep.id, state: .away, at: app.clock.now, changedBy: nil
                                ).create(on: db)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await PresenceChange.query(on: app.db).count() == 40)
        }
    }
}
