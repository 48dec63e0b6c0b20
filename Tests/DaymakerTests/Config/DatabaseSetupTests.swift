import Foundation
import SQLKit
import Testing
import Vapor

@testable import Daymaker

@Suite struct DatabaseSetupTests {
    struct Row: Decodable { let value: String }

    @Test func sqliteRunsInWALModeWithForeignKeys() async throws {
        guard !testingOnPostgres else { return }
        try await withApp { app in
            let sql = try app.db.sqlDatabase
            let mode = try await sql.raw("PRAGMA journal_mode").first(decoding: [String: String].self)
            #expect(mode?["journal_mode"] == "wal")
            let keys = try await sql.raw("PRAGMA foreign_keys").first(decoding: [String: Int].self)
            #expect(keys?["foreign_keys"] == 1)
            // Every connection (one per event loop) carries the per-connection settings.
            for eventLoop in app.eventLoopGroup.makeIterator() {
                let db = try #require(app.databases.database(.sqlite, logger: app.logger, on: eventLoop))
                let sync = try await db.sqlDatabase.raw("PRAGMA synchronous").first(decoding: [String: Int].self)
                #expect(sync?["synchronous"] == 1)
                let cache = try await db.sqlDatabase.raw("PRAGMA cache_size").first(decoding: [String: Int].self)
                #expect(cache?["cache_size"] == -32768)
            }
            // The background loops' connection has them too, with a smaller cache.
            let background = try app.backgroundDB.sqlDatabase
            let sync = try await background.raw("PRAGMA synchronous").first(decoding: [String: Int].self)
            #expect(sync?["synchronous"] == 1)
            let cache = try await background.raw("PRAGMA cache_size").first(decoding: [String: Int].self)
            #expect(cache?["cache_size"] == -8192)
        }
    }

    /// Background loops work on a connection of their own: however long one of their reads takes (marking every
    /// hour of a bulk import, counting a busy day), requests on every event loop are served meanwhile.
    @Test func requestsAreServedWhileTheBackgroundHoldsItsConnection() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let (acquired, holding) = AsyncStream<Void>.makeStream()
            let (released, release) = AsyncStream<Void>.makeStream()
            let background = Task {
                // (Finished however the task ends, so a failure to connect fails the test rather than hanging it.)
                defer { holding.finish() }
                try await app.backgroundDB.withConnection { connection in
                    _ = try await connection.sqlDatabase.raw("SELECT COUNT(*) AS n FROM programs").all()
                    holding.yield()
                    for await _ in released { break }
                }
            }
            for await _ in acquired { break }
            // Requests go to the event loops in turn: each loop serves several, each reading the database (the
            // token, the programs). Were the background on a request's connection, those of its loop would wait
            // until the pool gave up (10 s) and fail.
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await app.send(.GET, "/api/v1/programs", token: world.rep.token).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            release.yield()
            try await background.value
            #expect(statuses == Array(repeating: .ok, count: 8))
        }
    }

    /// A server on the same machine reached by its Unix socket (`postgres+uds://…`), as a one-box install would
    /// connect. CI sets `DAYMAKER_TEST_DATABASE_SOCKET_URL` on its PostgreSQL pass.
    @Test func postgresOverItsUnixSocket() async throws {
        guard let url = ProcessInfo.processInfo.environment["DAYMAKER_TEST_DATABASE_SOCKET_URL"], !url.isEmpty else {
            return
        }
        try await withApp(postgresURL: url) { app in
            let world = try await World.make(on: app)
            // The server has no address for a connection over its socket.
            let address = try await app.db.sqlDatabase.raw("SELECT inet_server_addr()::text AS value").first(
                decoding: [String: String?].self)
            #expect(address?["value"] == .some(nil))
            let response = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&phone=312.555.0142", token: world.rep.token)
            #expect(response.status == .ok)
            #expect(try response.json(RecognitionResponse.self).matches.map(\.customer.id) == [world.rideCustomer.id])
        }
    }

    @Test func foreignKeysProtectStoredData() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            // A customer cannot point at a program that does not exist, on either database.
            let orphan = Customer(programID: UUID(), customerNumber: "X", fullName: "Orphan", preferredName: nil)
            await #expect(throws: (any Error).self) { try await orphan.create(on: app.db) }
            // A program with customers cannot be deleted out from under them.
            await #expect(throws: (any Error).self) { try await world.help.delete(on: app.db) }
            #expect(try await Customer.find(world.helpCustomer.id, on: app.db) != nil)
        }
    }
}
