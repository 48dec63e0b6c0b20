import SQLKit

extension SQLDatabase {
    /// PostgreSQL, the production store; otherwise SQLite, the embedded default. Where the two differ (locking
    /// clauses, date arithmetic, upserts), the statements branch on this.
    var isPostgreSQL: Bool { dialect.name == "postgresql" }
}
