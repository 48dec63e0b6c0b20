import Fluent
import SQLKit

/// Each program's own behaviour tags and root causes, besides the defaults every program shares.
struct UpdateProgramsAddVocabulary: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        for column in ["moment_tags", "root_causes"] {
            try await database.schema(Program.schema)
                .field(.string(column), .string, .required, .sql(.default(SQLLiteral.string(""))))
                .update()
        }
    }

    func revert(on database: any Database) async throws {
        for column in ["root_causes", "moment_tags"] {
            try await database.schema(Program.schema).deleteField(.string(column)).update()
        }
    }
}
