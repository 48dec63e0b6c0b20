import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Daymaker

/// The server's connections leave checkpoints to `SQLiteCheckpointer`, which copies the whole log into the file.
@Suite struct SQLiteCheckpointerTests {
    @Test func theServerLeavesCheckpointsToItsOwnConnection() async throws {
        try await withApp { app in
            let sql = try app.db.sqlDatabase
            guard !sql.isPostgreSQL else { return }  // PostgreSQL checkpoints by itself
            let file = try #require(
                try await sql.raw("PRAGMA database_list").all().first.map {
                    try $0.decode(column: "file", as: String.self)
                })
            try await SQLiteCheckpointer.takeOver(app)
            // About 2,000 pages of 4 kB: far past the 1,000 at which a commit would otherwise checkpoint.
            try await sql.raw("CREATE TABLE filler (text TEXT)").run()
            // Half through Fluent's connections, half through the contact events' writer.
            let writer = try #require(app.events.sqliteWriter)
            @Sendable func fill(_ sql: any SQLDatabase) async throws {
                for _ in 0..<100 {
                    try await sql.raw("INSERT INTO filler VALUES (\(bind: String(repeating: "x", count: 4000)))").run()
                }
            }
            for index in 0..<20 {
                if index.isMultiple(of: 2) {
                    try await app.db.writeTransaction { db in try await fill(db.sqlDatabase) }
                } else {
                    try await writer.transaction { sql in try await fill(sql) }
                }
            }
            let connection = try await SQLiteCheckpointer.open(file, logger: app.logger)
            let checkpoint = try await SQLiteCheckpointer.checkpoint(connection)
            try await connection.close()
            #expect(checkpoint.log > 1_500)  // no commit checkpointed on the way
            #expect(checkpoint.checkpointed == checkpoint.log)
        }
    }

    /// A command that ends at once cancels the copying while its connection is still being opened (the CI run of
    /// 55adf88 trapped there: a connection opened, then dropped unclosed when its first statement saw the cancel).
    @Test func aBulkCommandThatEndsAtOnceClosesTheCopyingConnection() async throws {
        try await withApp { app in
            let sql = try app.db.sqlDatabase
            guard !sql.isPostgreSQL, let writer = app.events.sqliteWriter else { return }
            for round in 0..<300 {
                // Ends after 0 to 2 ms: before, during or after the copying connection's opening.
                let result = try await SQLiteCheckpointer.alongside(writer, logger: app.logger) {
                    try await Task.sleep(for: .microseconds(round % 100 * 20))
                    return round
                }
                #expect(result == round)
            }
            // A command that fails gets its error back, the copying stopped first.
            struct Refused: Error {}
            for round in 0..<50 {
                await #expect(throws: Refused.self) {
                    try await SQLiteCheckpointer.alongside(writer, logger: app.logger) {
                        try await Task.sleep(for: .microseconds(round * 40))
                        throw Refused()
                    }
                }
            }
        }
    }
}
