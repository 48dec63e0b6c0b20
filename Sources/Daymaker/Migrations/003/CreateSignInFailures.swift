import Fluent
import SQLKit

/// Failed sign-ins per account key (`SignInFailures`), replacing the counters on `users`, which were read and
/// written back around the password check and so could be raced past.
struct CreateSignInFailures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SignInFailures.schema)
            .id()
            .field("account_key", .string, .required)
            .field("failures", .int, .required)
            .field("window_started_at", .datetime, .required)
            .field("locked_until", .datetime)
            .unique(on: "account_key")
            .create()
        for column in ["failed_sign_ins", "first_failed_sign_in_at", "locked_until"] {
            try await database.sqlDatabase.raw("ALTER TABLE users DROP COLUMN \(ident: column)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase.raw("ALTER TABLE users ADD COLUMN failed_sign_ins BIGINT NOT NULL DEFAULT 0")
            .run()
        let timestamp = try database.sqlDatabase.isPostgreSQL ? "TIMESTAMPTZ" : "REAL"
        for column in ["first_failed_sign_in_at", "locked_until"] {
            try await database.sqlDatabase.raw("ALTER TABLE users ADD COLUMN \(ident: column) \(unsafeRaw: timestamp)")
                .run()
        }
        try await database.schema(SignInFailures.schema).delete()
    }
}
