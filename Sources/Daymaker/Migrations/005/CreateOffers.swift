import Fluent
import SQLKit

/// Offers of waiting contacts to reps, at most one open per rep and per contact, and the note routing leaves on a
/// contact ("asked for Sarh: no rep by that name").
struct CreateOffers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Offer.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("contact_id", .uuid, .required, .references(Contact.schema, .id, onDelete: .cascade))
            .field("rep_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("reason", .string, .required)
            .field("helped_at", .datetime)
            .field("status", .string, .required)
            .field("offered_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("decided_at", .datetime)
            .create()
        let sql = try database.sqlDatabase
        for column in ["rep_id", "contact_id"] {
            try await sql.raw(
                "CREATE UNIQUE INDEX idx_offers_open_\(unsafeRaw: column) ON offers (\(unsafeRaw: column)) WHERE status = 'open'"
            ).run()
        }
        try await database.createIndex(on: Offer.schema, columns: "contact_id", "status")
        try await sql.raw(
            "CREATE INDEX idx_contacts_waiting ON contacts (program_id, arrived_at) WHERE status = 'queued' AND rep_id IS NULL"
        ).run()
        try await database.schema(Contact.schema).field("routing_note", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Contact.schema).deleteField("routing_note").update()
        try await database.sqlDatabase.raw("DROP INDEX idx_contacts_waiting").run()
        try await database.schema(Offer.schema).delete()
    }
}

/// Why a contact's caller id cannot be called back (kept as the carrier sent it).
struct UpdateContactsAddFromProblem: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Contact.schema).field("from_problem", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Contact.schema).deleteField("from_problem").update()
    }
}

/// Per-program routing settings (JSON, like the recognition settings).
struct CreateRoutingSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RoutingSettingsRecord.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("settings", .string, .required)
            .field("updated_by_id", .uuid)
            .field("updated_at", .datetime)
            .unique(on: "program_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RoutingSettingsRecord.schema).delete()
    }
}

/// Callbacks promised to customers (from a rep in their next shift, after an IVR choice, …).
struct CreateCallbacks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Callback.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("customer_id", .uuid, .references(Customer.schema, .id, onDelete: .setNull))
            .field("number", .string, .required)
            .field("rep_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("due_start", .datetime, .required)
            .field("due_end", .datetime, .required)
            .field("reason", .string)
            .field("source", .string, .required)
            .field("contact_id", .uuid, .references(Contact.schema, .id, onDelete: .setNull))
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex(on: Callback.schema, columns: "program_id", "status", "due_start")
        try await database.createIndex(on: Callback.schema, columns: "rep_id", "status")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Callback.schema).delete()
    }
}

/// The routing tick looks for open offers whose time ran out every second: an index of only the open ones keeps
/// that one probe however many offers the years add.
struct CreateOffersOpenExpiryIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sqlDatabase.raw(
            "CREATE INDEX idx_offers_open_expires_at ON offers (expires_at) WHERE status = 'open'"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase.raw("DROP INDEX idx_offers_open_expires_at").run()
    }
}
