import Fluent
import SQLKit

/// Who helped a customer before, read from the index alone: routing asks it for every waiting contact (see
/// `Router.helped`), and reading each past contact's row for its rep was most of a routing pass on a large file.
/// The index on a customer's contacts by time gains the rep; the recognition card reads it as before.
struct UpdateContactsIndexHelpedBy: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.createIndex(on: Contact.schema, columns: "customer_id", "arrived_at", "rep_id")
        try await database.sqlDatabase.drop(index: "idx_contacts_customer_id_arrived_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.createIndex(on: Contact.schema, columns: "customer_id", "arrived_at")
        try await database.sqlDatabase.drop(index: "idx_contacts_customer_id_arrived_at_rep_id").run()
    }
}
