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
        }
    }

    /// On PostgreSQL background loops (the insight roll-ups' counts) get connections apart from the requests': a
    /// count that holds one for seconds never makes a request wait for its event loop's connection.
    @Test func backgroundWorkHasConnectionsOfItsOwnOnPostgreSQL() async throws {
        try await withApp { app in
            #expect(app.databases.ids().contains(.background) == testingOnPostgres)
            let one = try await app.backgroundDB.sqlDatabase.raw("SELECT 1 AS one").first()?
                .decode(column: "one", as: Int.self)
            #expect(one == 1)
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
