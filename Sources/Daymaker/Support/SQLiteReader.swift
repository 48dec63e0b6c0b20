import FluentKit
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import Vapor
// The SQLite library SQLiteNIO compiles in (see `SQLiteHandle`).
import VaporCSQLite

/// Read-only connections to the SQLite file for the reads made on every contact (the recognition card).
///
/// SQLiteNIO compiles every statement anew and hands each row back to the event loop as its own task, which costs
/// more than an indexed read itself. These connections keep their compiled statements and return rows to the
/// caller directly. A read runs on the calling thread: it touches a few pages of indexes that sit in memory, so it
/// takes less time than handing it to another thread and back. In WAL mode readers never wait for the writer;
/// each statement sees what was committed when it started (never a caller's open transaction).
final class SQLiteReader: Sendable {
    let path: String
    /// Idle connections kept open: one per event loop is enough, since a read runs on its loop's thread.
    private let kept: Int
    private let idle = NIOLockedValueBox<[SQLiteHandle]>([])

    init(path: String, idleConnections: Int) {
        self.path = path
        self.kept = idleConnections
    }

    /// Runs `sql` with `binds` and gives each row to `each`, in order.
    func read(_ sql: String, _ binds: [SQLiteData], _ each: (SQLiteHandle.Row) throws -> Void) throws {
        let connection =
            try idle.withLockedValue { $0.popLast() }
            ?? SQLiteHandle(
                path: path, flags: SQLITE_OPEN_READONLY, pragmas: sqlitePragmas + [Self.readerCacheSize],
                keptStatements: 32)
        defer { idle.withLockedValue { if $0.count < kept { $0.append(connection) } } }
        try connection.run(sql, binds, each)
    }

    /// A 16 MB page cache for each reader, after the writers' 32 MB: the card's indexes fit, and with one reader
    /// per event loop the server measured 86 MB RSS instead of 191 MB and no slower
    /// (docs/benchmarks/recognition-ab-2026-12-03.md).
    private static let readerCacheSize = "PRAGMA cache_size=-16384"

    /// Closes the idle connections (at shutdown).
    func close() {
        idle.withLockedValue { $0.removeAll() }
    }
}

/// Closes the reader's connections when the application stops.
struct SQLiteReaderShutdown: LifecycleHandler {
    let reader: SQLiteReader
    func shutdown(_ application: Application) { reader.close() }
}
