import Fluent
import SQLKit

/// Call records are read by program and time (the campaign's window); nothing looks them up by caller, and the
/// index by caller made every imported row a write to a random page (a million rows wrote gigabytes).
struct UpdateCallRecordsDropFromIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sqlDatabase.drop(index: "idx_call_records_program_id_from_address").run()
    }

    func revert(on database: any Database) async throws {
        try await database.createIndex(on: CallRecord.schema, columns: "program_id", "from_address")
    }
}
