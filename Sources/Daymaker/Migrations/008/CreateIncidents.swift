import Fluent

/// Incidents, the programs they affect and their history.
struct CreateIncidents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Incident.schema)
            .id()
            .field("title", .string, .required)
            .field("public_message", .string, .required)
            .field("ivr_message", .string, .required)
            .field("email_reply", .string)
            .field("channels", .string, .required)
            .field("declared_at", .datetime, .required)
            .field("declared_by", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("resolved_at", .datetime)
            .field("resolved_by", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("updated_at", .datetime, .required)
            .create()
        try await database.createIndex(on: Incident.schema, columns: "declared_at")
        try await database.schema(IncidentProgram.schema)
            .id()
            .field("incident_id", .uuid, .required, .references(Incident.schema, .id, onDelete: .cascade))
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .unique(on: "incident_id", "program_id")
            .create()
        try await database.createIndex(on: IncidentProgram.schema, columns: "program_id")
        try await database.schema(IncidentUpdate.schema)
            .id()
            .field("incident_id", .uuid, .required, .references(Incident.schema, .id, onDelete: .cascade))
            .field("seq", .int, .required)
            .field("kind", .string, .required)
            .field("message", .string, .required)
            .field("at", .datetime, .required)
            .field("author_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .unique(on: "incident_id", "seq")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IncidentUpdate.schema).delete()
        try await database.schema(IncidentProgram.schema).delete()
        try await database.schema(Incident.schema).delete()
    }
}
