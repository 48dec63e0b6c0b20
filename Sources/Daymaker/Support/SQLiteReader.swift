import FluentKit
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import Vapor
// The SQLite library SQLiteNIO compiles in. The reader must use that same copy: two copies of SQLite in one process
// release each other's file locks and can corrupt the database.
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
    private let idle = NIOLockedValueBox<[Connection]>([])

    init(path: String, idleConnections: Int) {
        self.path = path
        self.kept = idleConnections
    }

    /// Runs `sql` with `binds` and gives each row to `each`, in order.
    func read(_ sql: String, _ binds: [SQLiteData], _ each: (Row) throws -> Void) throws {
        let connection = try idle.withLockedValue { $0.popLast() } ?? Connection(path: path)
        defer { idle.withLockedValue { if $0.count < kept { $0.append(connection) } } }
        let statement = try connection.statement(sql)
        // Every parameter is bound anew on each read. (Clearing bindings would also make SQLite compile the
        // statement again whenever a parameter takes part in its plan.)
        defer { sqlite_nio_sqlite3_reset(statement) }
        for (index, value) in binds.enumerated() {
            try connection.check(bind(value, at: Int32(index + 1), to: statement))
        }
        while true {
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_ROW: try each(Row(statement: statement))
            case SQLITE_DONE: return
            case let code:
                try connection.check(code)
                return  // not reached: a step answers a row, done, or an error
            }
        }
    }

    /// Closes the idle connections (at shutdown).
    func close() {
        idle.withLockedValue { $0.removeAll() }
    }

    private func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let number): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
        case .float(let number): sqlite_nio_sqlite3_bind_double(statement, index, number)
        case .text(let text):
            sqlite_nio_sqlite3_bind_text64(
                statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
        case .null: sqlite_nio_sqlite3_bind_null(statement, index)
        case .blob(let buffer):
            buffer.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient)
            }
        }
    }

    /// The current row of a statement; valid only inside the `each` closure of ``read(_:_:_:)``.
    struct Row {
        fileprivate let statement: OpaquePointer

        func isNull(_ column: Int32) -> Bool { sqlite_nio_sqlite3_column_type(statement, column) == SQLITE_NULL }

        func text(_ column: Int32) -> String? {
            guard let bytes = sqlite_nio_sqlite3_column_text(statement, column) else { return nil }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        /// A UUID stored as text.
        func uuid(_ column: Int32) -> UUID? {
            guard let bytes = sqlite_nio_sqlite3_column_text(statement, column) else { return nil }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return UUID(uuidString: String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        }

        func double(_ column: Int32) -> Double? {
            isNull(column) ? nil : sqlite_nio_sqlite3_column_double(statement, column)
        }

        func integer(_ column: Int32) -> Int? {
            isNull(column) ? nil : Int(sqlite_nio_sqlite3_column_int64(statement, column))
        }
    }

    /// One read-only connection and the statements it has compiled. Used by one thread at a time: it is taken
    /// from the idle list and put back under the lock.
    private final class Connection: @unchecked Sendable {
        let handle: OpaquePointer
        private var statements: [String: OpaquePointer] = [:]

        init(path: String) throws {
            var handle: OpaquePointer?
            let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            let code = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
            guard code == SQLITE_OK, let handle else {
                let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) }
                sqlite_nio_sqlite3_close_v2(handle)
                throw SQLiteReadError(message: message ?? "cannot open the database (code \(code))")
            }
            self.handle = handle
            for pragma in sqlitePragmas + [Self.readerCacheSize] {
                try check(sqlite_nio_sqlite3_exec(handle, pragma, nil, nil, nil))
            }
        }

        /// A 16 MB page cache for each reader, after the writers' 64 MB: the card's indexes fit, and with one reader
        /// per event loop the server measured 86 MB RSS instead of 191 MB and no slower
        /// (docs/benchmarks/recognition-ab-2026-12-03.md).
        private static let readerCacheSize = "PRAGMA cache_size=-16384"

        /// Statements kept per connection; more distinct statements than this start the list afresh.
        private static let keptStatements = 32

        func statement(_ sql: String) throws -> OpaquePointer {
            if let statement = statements[sql] { return statement }
            if statements.count >= Self.keptStatements {
                for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
                statements.removeAll()
            }
            var statement: OpaquePointer?
            try check(
                sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil))
            guard let statement else { throw SQLiteReadError(message: "empty statement") }
            statements[sql] = statement
            return statement
        }

        func check(_ code: Int32) throws {
            guard code == SQLITE_OK else {
                throw SQLiteReadError(message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
            }
        }

        deinit {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            sqlite_nio_sqlite3_close_v2(handle)
        }
    }
}

/// A failed read; its message comes from SQLite and is logged, never shown to clients.
struct SQLiteReadError: Error, CustomStringConvertible {
    let message: String
    var description: String { "SQLite read failed: \(message)" }
}

/// SQLite copies bound values that live only for the call (its `SQLITE_TRANSIENT`, a macro Swift cannot import).
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Closes the reader's connections when the application stops.
struct SQLiteReaderShutdown: LifecycleHandler {
    let reader: SQLiteReader
    func shutdown(_ application: Application) { reader.close() }
}
