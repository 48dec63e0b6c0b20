import FluentKit
import SQLiteNIO
import Synchronization
import Vapor

/// Copies SQLite's write-ahead log back into the database file from a connection of its own, once a second while
/// the server runs.
///
/// By default whichever commit takes the log past 1,000 pages does that copy (and its `fsync`) while it holds the
/// write lock, so under a steady stream of contact events one group in a few waited for it. The server's own
/// connections are told not to (`wal_autocheckpoint=0`) once it serves; a command run beside the server keeps
/// SQLite's default. A PASSIVE checkpoint waits for nobody: it copies what no reader still needs, the next one the
/// rest.
final class SQLiteCheckpointer: LifecycleHandler, Sendable {
    let path: String
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(path: String) { self.path = path }

    func didBootAsync(_ app: Application) async throws {
        let path = path
        let logger = app.logger
        task.withLock {
            $0 = Task {
                var connection: SQLiteConnection?
                var tookOver = false
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    guard !Task.isCancelled else { break }
                    guard app.running != nil else { continue }
                    do {
                        if !tookOver {
                            try await Self.takeOver(app)
                            tookOver = true
                        }
                        if connection == nil { connection = try await Self.open(path, logger: logger) }
                        _ = try await Self.checkpoint(connection!)
                    } catch  where !Task.isCancelled {
                        logger.warning("SQLite checkpoint failed: \(String(reflecting: type(of: error)))")
                    } catch {}
                }
                // Closed through its future: the async close refuses to run in a cancelled task, and a connection
                // never closed traps in debug builds.
                try? await connection?.close().get()
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
    }

    /// Tells the app's own connections (one per event loop, the background loops' and the contact events' writer)
    /// to leave checkpoints to this.
    static func takeOver(_ app: Application) async throws {
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let db = app.databases.database(.sqlite, logger: app.logger, on: eventLoop) else { continue }
            try await db.sqlDatabase.raw("PRAGMA wal_autocheckpoint=0").run()
        }
        try await app.backgroundDB.sqlDatabase.raw("PRAGMA wal_autocheckpoint=0").run()
        app.events.sqliteWriter?.leaveCheckpoints()
    }

    /// Runs `body` (a command writing in bulk on `writer`, such as a PBX's million call records) with the log
    /// copied into the file from a connection of its own every half second meanwhile, beside the writes: the
    /// writer's commits leave it (a commit that copied it would hold up the next batch), and the last connection
    /// closed copies what is left, one whole import's log at once otherwise (700 MB for a million records).
    static func alongside<T>(
        _ writer: SQLiteWriter, logger: Logger, _ body: () async throws -> T
    ) async throws -> T {
        writer.leaveCheckpoints()
        let path = writer.path
        let copying = Task {
            guard let connection = try? await open(path, logger: logger) else { return }
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                _ = try? await checkpoint(connection)
            }
            try? await connection.close().get()
        }
        // Stopped and its connection closed before returning or throwing: a command that fails is shut down at
        // once, and a connection left to close on a stopped thread pool would never be.
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        copying.cancel()
        await copying.value
        return try result.get()
    }

    /// Opened through futures: the async calls give up in a cancelled task, and one cancelled between the opening
    /// and the first statement dropped an open connection, which traps in debug builds.
    static func open(_ path: String, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger).get()
        do {
            try await connection.query("PRAGMA busy_timeout=5000", []) { _ in }.get()
        } catch {
            try? await connection.close().get()
            throw error
        }
        return connection
    }

    /// One PASSIVE checkpoint: the frames in the log and how many of them are now in the file.
    static func checkpoint(_ connection: SQLiteConnection) async throws -> (log: Int, checkpointed: Int) {
        let result = Mutex<(Int, Int)>((0, 0))
        try await connection.query("PRAGMA wal_checkpoint(PASSIVE)", []) { row in
            let values = row.columns.map(\.data)
            if values.count == 3, let log = values[1].integer, let done = values[2].integer {
                result.withLock { $0 = (log, done) }
            }
        }
        return result.withLock { $0 }
    }
}
