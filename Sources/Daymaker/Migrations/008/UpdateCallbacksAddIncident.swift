import Fluent
import SQLKit

/// A callback asked for during an incident ("press 1 to be called back when we are back") names it.
struct UpdateCallbacksAddIncident: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Callback.schema)
            .field("incident_id", .uuid, .references(Incident.schema, .id, onDelete: .setNull))
            .update()
        // One callback per call and incident, however often Twilio retries the request that books it (rows
        // without an incident never collide: NULLs are distinct in a unique index on both databases).
        try await database.sqlDatabase.create(index: "idx_callbacks_incident_id_contact_id").unique()
            .on(Callback.schema).column("incident_id").column("contact_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase.drop(index: "idx_callbacks_incident_id_contact_id").run()
        try await database.schema(Callback.schema).deleteField("incident_id").update()
    }
}
