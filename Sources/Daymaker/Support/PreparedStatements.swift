import FluentPostgresDriver
import Foundation
import SQLKit

/// A statement PostgreSQL prepares once per connection (by name) and then runs by name with new parameters: for
/// reads that run on every contact or every routing pass. (Whether PostgreSQL also keeps one plan for it is its
/// own choice, by the statement's parameters: see `plan_cache_mode`.)
protocol PreparedText: Sendable {
    /// Unique among the app's statements (PostgreSQL cuts names at 63 bytes).
    static var name: String { get }
    /// Written once (PostgresNIO reads it on every execution).
    static var sql: String { get }
}

/// A `PreparedText` with its parameters, as PostgresNIO runs it; rows are read by the caller.
struct Prepared<Text: PreparedText>: PostgresPreparedStatement {
    typealias Row = PostgresRow
    static var name: String { Text.name }
    static var sql: String { Text.sql }
    let bindings: PostgresBindings
    func makeBindings() -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) -> Row { row }
}

extension PostgresDatabase {
    /// Runs the prepared statement on this database's connection (a transaction's own, or a pooled one lent until
    /// the rows are in), in the calling task.
    func rows<Text: PreparedText>(_ text: Text.Type, _ bindings: PostgresBindings) async throws -> [PostgresRow] {
        try await withLentConnection { connection in
            var rows: [PostgresRow] = []
            for try await row in try await connection.execute(Prepared<Text>(bindings: bindings), logger: logger) {
                rows.append(row)
            }
            return rows
        }
    }

    /// Runs `query` on this database's connection, handing each row to `each` as it arrives: a read of hundreds of
    /// thousands of rows never holds them all.
    func stream(_ query: PostgresQuery, _ each: (PostgresRow) throws -> Void) async throws {
        try await withLentConnection { connection in
            for try await row in try await connection.query(query, logger: logger) { try each(row) }
        }
    }

    /// `body` with this database's connection (a transaction's own, or a pooled one lent until `body` is done), in
    /// the calling task. (`withConnection` wants a future back; lending the connection out saves starting a second
    /// task for every statement.)
    private func withLentConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let lent = eventLoop.makePromise(of: PostgresConnection.self)
        let done = eventLoop.makePromise(of: Void.self)
        withConnection { connection in
            lent.succeed(connection)
            return done.futureResult
        }.whenFailure { error in
            // No connection was lent (the server is down, the pool timed out): nobody will finish `done`.
            lent.fail(error)
            done.succeed()
        }
        let connection = try await lent.futureResult.get()
        defer { done.succeed() }
        return try await body(connection)
    }
}

extension Database {
    /// Runs the prepared statement on this database, which is PostgreSQL's (a transaction's, or the pool's): the
    /// callers are the PostgreSQL halves of reads and writes that SQLite runs its own way.
    func postgresRows<Text: PreparedText>(
        _ text: Text.Type, _ bindings: PostgresBindings
    ) async throws -> [PostgresRow] {
        guard let postgres = self as? any PostgresDatabase else {
            throw InternalFault("\(Text.name) was given a database other than PostgreSQL.")
        }
        return try await postgres.rows(text, bindings)
    }

    /// Runs `query` on this database, which is PostgreSQL's, handing each row to `each` as it arrives.
    func postgresStream(_ query: PostgresQuery, _ each: (PostgresRow) throws -> Void) async throws {
        guard let postgres = self as? any PostgresDatabase else {
            throw InternalFault("A read for PostgreSQL was given another database.")
        }
        try await postgres.stream(query, each)
    }
}

/// A row's columns read by name, whichever database's row it is: SQLKit's (`SQLColumns`, decoded through Codable)
/// or PostgresNIO's own (decoded directly: a routing pass reads its rows on every group of contact events).
protocol NamedColumns {
    func decode<T: Decodable & PostgresDecodable>(column: String, as type: T.Type) throws -> T
}

/// An SQLKit row as `NamedColumns`.
struct SQLColumns: NamedColumns {
    let row: any SQLRow

    func decode<T: Decodable & PostgresDecodable>(column: String, as type: T.Type) throws -> T {
        try row.decode(column: column, as: T.self)
    }
}

extension PostgresRandomAccessRow: NamedColumns {
    func decode<T: Decodable & PostgresDecodable>(column: String, as type: T.Type) throws -> T {
        // The subscript stops the process on a name the row lacks.
        guard contains(column) else { throw InternalFault("A statement's rows have no column \(column).") }
        return try self[column].decode(T.self)
    }
}

/// An array parameter whose elements may be null (PostgresNIO binds arrays of present values only), in
/// PostgreSQL's binary array format: one dimension from 1, a null element written as length -1.
struct PostgresNullableArray<Element: PostgresArrayEncodable & PostgresNonThrowingEncodable>:
    PostgresNonThrowingEncodable
{
    let elements: [Element?]

    init(_ elements: [Element?]) {
        self.elements = elements
    }

    static var psqlType: PostgresDataType { Element.psqlArrayType }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)  // dimensions
        buffer.writeInteger(elements.contains { $0 == nil } ? 1 : 0, as: Int32.self)  // has nulls
        buffer.writeInteger(Element.psqlType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(1, as: Int32.self)  // lower bound
        for element in elements {
            let lengthAt = buffer.writerIndex
            buffer.writeInteger(-1, as: Int32.self)
            guard let element else { continue }
            let start = buffer.writerIndex
            element.encode(into: &buffer, context: context)
            buffer.setInteger(Int32(buffer.writerIndex - start), at: lengthAt)
        }
    }
}

extension PostgresBindings {
    /// Appends `elements` as one array parameter, its nils as nulls.
    mutating func append<Element>(nullable elements: [Element?])
    where Element: PostgresArrayEncodable & PostgresNonThrowingEncodable {
        append(PostgresNullableArray(elements))
    }
}

/// SQL text whose parameters are numbered (`?1`, `?2`, …, which SQLite lets a statement use more than once), with
/// their values: a statement written once for both databases runs on SQLite through SQLKit this way.
struct NumberedSQL: SQLExpression {
    let sql: String
    let binds: [any Encodable & Sendable]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds += binds
    }
}
