import Fluent
import SQLKit

/// The plain (non-unique) indexes of some tables, dropped before a bulk load and created again after it, from
/// the definitions the database itself gave (so they come back exactly as the migrations made them).
struct DeferredIndexes {
    /// Each index's name and the statement that creates it.
    let definitions: [(name: String, sql: String)]

    /// Reads the plain indexes of `tables` and drops them.
    static func drop(on tables: [String], in db: any Database) async throws -> DeferredIndexes {
        let indexes = DeferredIndexes(definitions: try await definitions(on: tables, in: db))
        let sql = try db.sqlDatabase
        for definition in indexes.definitions {
            try await sql.raw("DROP INDEX \(ident: definition.name)").run()
        }
        return indexes
    }

    /// The plain indexes of `tables`: those the migrations named `idx_…`, by table and name.
    static func definitions(on tables: [String], in db: any Database) async throws -> [(name: String, sql: String)] {
        let sql = try db.sqlDatabase
        var definitions: [(name: String, sql: String)] = []
        for table in tables {
            let rows =
                if sql.isPostgreSQL {
                    try await sql.raw(
                        """
                        SELECT indexname AS name, indexdef AS sql FROM pg_indexes
                        WHERE schemaname = current_schema() AND tablename = \(bind: table) AND indexname LIKE 'idx\\_%'
                        """
                    ).all()
                } else {
                    try await sql.raw(
                        """
                        SELECT name, sql FROM sqlite_master
                        WHERE type = 'index' AND tbl_name = \(bind: table) AND name LIKE 'idx\\_%' ESCAPE '\\' AND sql IS NOT NULL
                        """
                    ).all()
                }
            let found = try rows.map {
                (
                    name: try $0.decode(column: "name", as: String.self),
                    sql: try $0.decode(column: "sql", as: String.self)
                )
            }
            definitions += found.sorted { $0.name < $1.name }
        }
        return definitions
    }

    /// Creates the indexes again (those that exist already are left alone).
    func create(in db: any Database, progress: (Int, Int) -> Void = { _, _ in }) async throws {
        let sql = try db.sqlDatabase
        for (index, definition) in definitions.enumerated() {
            let exists =
                if sql.isPostgreSQL {
                    try await sql.raw(
                        "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = \(bind: definition.name)"
                    ).first() != nil
                } else {
                    try await sql.raw(
                        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = \(bind: definition.name)"
                    ).first() != nil
                }
            if !exists { try await sql.raw(SQLQueryString(definition.sql)).run() }
            progress(index + 1, definitions.count)
        }
    }
}
