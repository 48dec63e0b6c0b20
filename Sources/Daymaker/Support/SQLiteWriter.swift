import FluentKit
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor
// The SQLite library SQLiteNIO compiles in (see `SQLiteHandle`).
import VaporCSQLite

/// The SQLite file's connection for groups of contact events (see `EventGroup`).
///
/// A group is some twenty statements. Through SQLiteNIO each is compiled anew and handed to its thread pool and
/// back, and the hops, not SQLite, were most of a group's time. Here a whole group's statements run on the calling
/// thread with their compiled statements kept: a group holds that thread for the few milliseconds SQLite itself
/// takes. Its transactions take turns with every other write transaction of the process in ``SQLiteWriters``.
final class SQLiteWriter: Sendable {
    let path: String
    private let eventLoop: any EventLoop
    private let logger: Logger
    /// Opened on first use (after the migrations), closed at shutdown; and whether it leaves checkpoints to
    /// `SQLiteCheckpointer`.
    private let connection = NIOLockedValueBox<(handle: SQLiteHandle?, noCheckpoints: Bool)>((nil, false))

    init(path: String, eventLoop: any EventLoop, logger: Logger) {
        self.path = path
        self.eventLoop = eventLoop
        self.logger = logger
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction on this connection: committed when it returns, rolled back
    /// when it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withHandle { handle in
            try await body(Session(handle: handle, eventLoop: eventLoop, logger: logger))
        }
    }

    /// The same with the connection itself too, for writes in bulk that bind their values directly (a PBX's
    /// million call records, a campaign's calls): those statements do not go through SQLKit.
    func bulkTransaction<T: Sendable>(
        _ body: @Sendable (any SQLDatabase, SQLiteHandle) async throws -> T
    ) async throws -> T {
        try await withHandle { handle in
            try await body(Session(handle: handle, eventLoop: eventLoop, logger: logger), handle)
        }
    }

    /// Runs `body` on a read-only connection of its own, opened for it: a long read in bulk (a campaign's merge of
    /// a million call records) that never holds the writer's turn, and whose rows come back on the calling thread
    /// instead of each through SQLiteNIO's thread pool and decoder (or, through the connection itself, read column
    /// by column). Like a write on this connection it holds the calling thread while SQLite works.
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase, SQLiteHandle) async throws -> T) async throws -> T {
        let handle = try SQLiteHandle(
            path: path, flags: SQLITE_OPEN_READONLY, pragmas: sqlitePragmas, keptStatements: 16)
        return try await body(Session(handle: handle, eventLoop: eventLoop, logger: logger), handle)
    }

    private func withHandle<T: Sendable>(_ body: @Sendable (SQLiteHandle) async throws -> T) async throws -> T {
        await SQLiteWriters.shared.enter()
        do {
            let handle = try open()
            try handle.execute("BEGIN IMMEDIATE TRANSACTION")
            do {
                let result = try await SQLiteWriters.$holding.withValue(true) { try await body(handle) }
                try handle.execute("COMMIT TRANSACTION")
                await SQLiteWriters.shared.leave()
                return result
            } catch {
                try? handle.execute("ROLLBACK TRANSACTION")
                throw error
            }
        } catch {
            await SQLiteWriters.shared.leave()
            throw error
        }
    }

    /// Closes the connection (at shutdown).
    func close() {
        connection.withLockedValue { $0.handle = nil }
    }

    /// From the next transaction on, commits leave copying the log into the file to `SQLiteCheckpointer`. (A
    /// transaction under way keeps the connection it has, which closes when it is done.)
    func leaveCheckpoints() {
        connection.withLockedValue { $0 = (nil, true) }
    }

    private func open() throws -> SQLiteHandle {
        try connection.withLockedValue { connection in
            if let handle = connection.handle { return handle }
            let handle = try SQLiteHandle(
                path: path, flags: SQLITE_OPEN_READWRITE,
                pragmas: sqlitePragmas + (connection.noCheckpoints ? ["PRAGMA wal_autocheckpoint=0"] : []),
                // A group's statements differ by how many values their lists hold: a few hundred shapes in all.
                keptStatements: 256)
            connection.handle = handle
            return handle
        }
    }

    /// The transaction's statements as SQLKit sees them; values are encoded and decoded as Fluent's SQLite driver
    /// does, so rows read and written here are the same as through Fluent.
    private struct Session: SQLDatabase {
        let handle: SQLiteHandle
        let eventLoop: any EventLoop
        let logger: Logger
        var dialect: any SQLDialect { SQLiteDialect() }

        func execute(
            sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
        )
            -> EventLoopFuture<Void>
        {
            do {
                try run(query, onRow)
                return eventLoop.makeSucceededVoidFuture()
            } catch {
                return eventLoop.makeFailedFuture(error)
            }
        }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
            try run(query, onRow)
        }

        func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
            try await closure(self)
        }

        private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
            let (sql, binds) = serialize(query)
            let encoder = SQLiteDataEncoder()
            var columns: Columns?
            try handle.run(sql, try binds.map { try Self.encode($0, encoder) }) { row in
                let names = columns ?? Columns((0..<row.count).map(row.name))
                columns = names
                onRow(Row(columns: names, values: (0..<row.count).map(row.data)))
            }
        }

        /// The values a group writes most, as `SQLiteDataEncoder` writes them, without it asking the runtime
        /// which protocols each conforms to; anything else (and nil) goes to it.
        private static func encode(
            _ value: any Encodable & Sendable, _ encoder: SQLiteDataEncoder
        ) throws
            -> SQLiteData
        {
            switch value {
            case let text as String: .text(text)
            case let id as UUID: .text(id.uppercaseText)
            case let time as Date: .float(time.timeIntervalSince1970)
            case let number as Int: .integer(number)
            case let flag as Bool: .integer(flag ? 1 : 0)
            default: try encoder.encode(value)
            }
        }
    }

    /// The names of a statement's columns, shared by its rows.
    private final class Columns: Sendable {
        let names: [String]
        let offsets: [String: Int]

        init(_ names: [String]) {
            self.names = names
            offsets = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private struct Row: SQLRow {
        let columns: Columns
        let values: [SQLiteData]

        var allColumns: [String] { columns.names }

        func contains(column: String) -> Bool { columns.offsets[column] != nil }

        func decodeNil(column: String) throws -> Bool { try value(column) == .null }

        func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
            let value = try value(column)
            if let direct = Self.direct(value, as: D.self) { return direct }
            return try SQLiteDataDecoder().decode(D.self, from: value)
        }

        /// The types a group reads most, converted as `SQLiteDataDecoder` converts them, without it asking the
        /// runtime which protocols `D` conforms to for every value; anything else goes to it.
        private static func direct<D>(_ value: SQLiteData, as _: D.Type) -> D? {
            switch value {
            case .null:
                if D.self == UUID?.self { return (nil as UUID?) as? D }
                if D.self == Date?.self { return (nil as Date?) as? D }
                if D.self == String?.self { return (nil as String?) as? D }
            case .text(let text):
                if D.self == String.self || D.self == String?.self { return text as? D }
                if D.self == UUID.self || D.self == UUID?.self { return UUID(uuidString: text).flatMap { $0 as? D } }
            case .float(let seconds):
                if D.self == Date.self || D.self == Date?.self { return SQLiteHandle.date(seconds) as? D }
            case .integer(let number):
                if D.self == Int.self { return number as? D }
                if D.self == Bool.self, number == 0 || number == 1 { return (number == 1) as? D }
                if D.self == Date.self || D.self == Date?.self { return SQLiteHandle.date(Double(number)) as? D }
            case .blob: break
            }
            return nil
        }

        private func value(_ column: String) throws -> SQLiteData {
            guard let offset = columns.offsets[column] else {
                throw SQLiteFailure(code: SQLITE_RANGE, message: "no column \(column) in the row")
            }
            return values[offset]
        }
    }
}

/// Closes the writer's connection when the application stops.
struct SQLiteWriterShutdown: LifecycleHandler {
    let writer: SQLiteWriter
    func shutdown(_ application: Application) { writer.close() }
}
