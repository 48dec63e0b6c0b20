import Fluent
import SQLKit

extension Database {
    /// A transaction that writes: every read-then-write in Daymaker goes through here.
    ///
    /// On SQLite it starts with `BEGIN IMMEDIATE`, taking the file's write lock before the first read. A plain
    /// (deferred) transaction that reads and then writes fails at once with "database is locked" when another
    /// connection wrote in between; an immediate one waits its turn instead. On PostgreSQL it is an ordinary
    /// transaction. `body` must not open a transaction of its own.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !inTransaction, try sqlDatabase.dialect.name == "sqlite" else { return try await transaction(body) }
        return try await withConnection { connection in
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
