import Fluent
import Foundation
import SQLKit

extension Database {
    /// A transaction that writes: every read-then-write in Daymaker goes through here.
    ///
    /// On SQLite the process's write transactions take turns in ``SQLiteWriters`` (waiting there holds no thread),
    /// then start with `BEGIN IMMEDIATE`, taking the file's write lock before the first read: a plain (deferred)
    /// transaction that reads and then writes fails with "database is locked" when another connection wrote in
    /// between. Waiting inside SQLite instead would hold one of the few blocking threads every connection shares,
    /// and enough waiters leave none for the transaction they wait for. On PostgreSQL it is an ordinary
    /// transaction. A write transaction inside `body`, on the database `body` was given, joins the outer one.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !inTransaction, try !sqlDatabase.isPostgreSQL else { return try await transaction(body) }
        // Inside a write transaction already (its connection does not say so): the body joins it.
        if SQLiteWriters.holding { return try await body(self) }
        await SQLiteWriters.shared.enter()
        do {
            let result = try await immediateTransaction(body)
            await SQLiteWriters.shared.leave()
            return result
        } catch {
            await SQLiteWriters.shared.leave()
            throw error
        }
    }

    private func immediateTransaction<T: Sendable>(
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        // The pool runs the closure in a task of its own: the task-local is set in there.
        try await withConnection { connection in
            try await SQLiteWriters.$holding.withValue(true) {
                let sql = try connection.sqlDatabase
                try await sql.raw("BEGIN IMMEDIATE TRANSACTION").run()
                do {
                    let result = try await body(connection)
                    try await sql.raw("COMMIT TRANSACTION").run()
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK TRANSACTION").run()
                    throw error
                }
            }
        }
    }
}

/// SQLite write transactions of this process, one at a time, in the order they asked.
///
/// One queue for the process, not per file: a server has one file, and the test suite's many small files only
/// wait a few milliseconds for each other.
actor SQLiteWriters {
    static let shared = SQLiteWriters()
    /// Whether this task runs inside a write transaction.
    @TaskLocal static var holding = false

    private var writing = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard writing else {
            writing = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            writing = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

extension Database {
    /// Inside a write transaction, locks a row for the rest of it on PostgreSQL (`FOR UPDATE`): a second writer
    /// waits and then reads what the first wrote. On SQLite the write transaction holds the whole file already.
    func lockRow(in table: String, id: UUID) async throws {
        let sql = try sqlDatabase
        guard sql.isPostgreSQL else { return }
        try await sql.raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").run()
    }
}
