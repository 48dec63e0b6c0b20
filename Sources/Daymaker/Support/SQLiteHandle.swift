import FluentKit
import FluentSQLiteDriver
import Foundation
// The SQLite library SQLiteNIO compiles in. Direct connections must use that same copy: two copies of SQLite in one
// process release each other's file locks and can corrupt the database.
import VaporCSQLite

/// A connection to the SQLite file opened directly, not through SQLiteNIO, that keeps its compiled statements and
/// runs them on the calling thread (see `SQLiteReader` and `SQLiteWriter`). Used by one thread at a time.
final class SQLiteHandle: @unchecked Sendable {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    /// The statement run last: a bulk write runs one statement a million times, and finding it by its text in
    /// `statements` hashed those few hundred bytes each time (the same string compares equal at once).
    private var last: (sql: String, statement: OpaquePointer)?
    private let keptStatements: Int

    /// Opens the file with `flags` and sets the connection up with `pragmas`. More distinct statements than
    /// `keptStatements` start the kept list afresh.
    init(path: String, flags: Int32, pragmas: [String], keptStatements: Int) throws {
        var handle: OpaquePointer?
        let code = sqlite_nio_sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) }
            sqlite_nio_sqlite3_close_v2(handle)
            throw SQLiteFailure(code: code, message: message ?? "cannot open the database")
        }
        self.handle = handle
        self.keptStatements = keptStatements
        for pragma in pragmas { try execute(pragma) }
    }

    /// Runs statements that take no parameters and return no rows (`BEGIN`, `COMMIT`, a pragma).
    func execute(_ sql: String) throws {
        try check(sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil))
    }

    /// Runs `sql` with `binds` and gives each row to `each`, in order.
    func run(_ sql: String, _ binds: [SQLiteData], _ each: (Row) throws -> Void) throws {
        let statement = try statement(sql)
        // Every parameter is bound anew on each run. (Clearing bindings would also make SQLite compile the
        // statement again whenever a parameter takes part in its plan.)
        defer { sqlite_nio_sqlite3_reset(statement) }
        for (index, value) in binds.enumerated() {
            try check(bind(value, at: Int32(index + 1), to: statement))
        }
        while true {
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_ROW: try each(Row(statement: statement))
            case SQLITE_DONE: return
            case let code:
                try check(code)
                return  // not reached: a step answers a row, done, or an error
            }
        }
    }

    /// Rows the last `INSERT`, `UPDATE` or `DELETE` changed (0 for an insert its conflict clause skipped).
    var changes: Int { Int(sqlite_nio_sqlite3_changes(handle)) }

    private func statement(_ sql: String) throws -> OpaquePointer {
        if let last, last.sql == sql { return last.statement }
        if let statement = statements[sql] {
            last = (sql, statement)
            return statement
        }
        if statements.count >= keptStatements {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            statements.removeAll()
            last = nil
        }
        var statement: OpaquePointer?
        try check(sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil))
        guard let statement else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "empty statement") }
        statements[sql] = statement
        last = (sql, statement)
        return statement
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            throw SQLiteFailure(
                code: sqlite_nio_sqlite3_extended_errcode(handle),
                message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
        }
    }

    private func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let number): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
        case .float(let number): sqlite_nio_sqlite3_bind_double(statement, index, number)
        case .text(let text): bind(text, at: index, to: statement)
        case .null: sqlite_nio_sqlite3_bind_null(statement, index)
        case .blob(let buffer):
            buffer.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient)
            }
        }
    }

    /// A native string's bytes directly (SQLite copies them); only a bridged or empty one (whose bytes may have no
    /// address, which SQLite would take for NULL) goes through a C string.
    private func bind(_ text: String, at index: Int32, to statement: OpaquePointer) -> Int32 {
        let direct = text.utf8.withContiguousStorageIfAvailable { bytes -> Int32? in
            guard let start = bytes.baseAddress else { return nil }
            return sqlite_nio_sqlite3_bind_text64(
                statement, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), UInt64(bytes.count),
                transient, UInt8(SQLITE_UTF8))
        }
        if let code = direct ?? nil { return code }
        return sqlite_nio_sqlite3_bind_text64(
            statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
    }

    /// Seconds since 1970 as SQLiteNIO reads them: to the microsecond, so a time read back equals the one written.
    static func date(_ seconds: Double) -> Date {
        let sinceReference = seconds - Date.timeIntervalBetween1970AndReferenceDate
        return Date(timeIntervalSinceReferenceDate: (sinceReference * 1e6).rounded() / 1e6)
    }

    /// `?, ?, ?` for a statement's `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// The current row of a statement; valid only inside the `each` closure of ``run(_:_:_:)``.
    struct Row {
        fileprivate let statement: OpaquePointer

        var count: Int32 { sqlite_nio_sqlite3_column_count(statement) }

        func name(_ column: Int32) -> String { String(cString: sqlite_nio_sqlite3_column_name(statement, column)) }

        func isNull(_ column: Int32) -> Bool { sqlite_nio_sqlite3_column_type(statement, column) == SQLITE_NULL }

        func text(_ column: Int32) -> String? {
            guard let bytes = sqlite_nio_sqlite3_column_text(statement, column) else { return nil }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        /// A UUID stored as text.
        func uuid(_ column: Int32) -> UUID? { text(column).flatMap(UUID.init(uuidString:)) }

        func double(_ column: Int32) -> Double? {
            isNull(column) ? nil : sqlite_nio_sqlite3_column_double(statement, column)
        }

        /// A time stored as seconds since 1970, read as SQLiteNIO reads it (`SQLiteHandle.date`).
        func date(_ column: Int32) -> Date? { double(column).map(SQLiteHandle.date) }

        func integer(_ column: Int32) -> Int? {
            isNull(column) ? nil : Int(sqlite_nio_sqlite3_column_int64(statement, column))
        }

        /// The column's value as SQLiteNIO gives it, for decoding as Fluent does.
        func data(_ column: Int32) -> SQLiteData {
            switch sqlite_nio_sqlite3_column_type(statement, column) {
            case SQLITE_INTEGER: .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
            case SQLITE_FLOAT: .float(sqlite_nio_sqlite3_column_double(statement, column))
            case SQLITE_TEXT: .text(text(column) ?? "")
            case SQLITE_BLOB:
                .blob(
                    ByteBuffer(
                        bytes: UnsafeRawBufferPointer(
                            start: sqlite_nio_sqlite3_column_blob(statement, column),
                            count: Int(sqlite_nio_sqlite3_column_bytes(statement, column)))))
            default: .null
            }
        }
    }

    deinit {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        sqlite_nio_sqlite3_close_v2(handle)
    }
}

/// A failed statement on a direct connection; its message comes from SQLite and is logged, never shown to clients.
struct SQLiteFailure: Error, DatabaseError, CustomStringConvertible {
    /// SQLite's extended result code.
    let code: Int32
    let message: String

    var description: String { "SQLite: \(message)" }
    var isSyntaxError: Bool { code & 0xff == SQLITE_ERROR }
    var isConstraintFailure: Bool { code & 0xff == SQLITE_CONSTRAINT }
    var isConnectionClosed: Bool { code & 0xff == SQLITE_MISUSE }
}

/// SQLite copies bound values that live only for the call (its `SQLITE_TRANSIENT`, a macro Swift cannot import).
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
