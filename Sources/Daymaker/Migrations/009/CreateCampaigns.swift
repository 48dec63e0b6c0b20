import Fluent
import SQLKit

/// Callback campaigns, the numbers they call, the calls made, and each program's do-not-call list.
struct CreateCampaigns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Campaign.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("incident_id", .uuid, .references(Incident.schema, .id, onDelete: .setNull))
            .field("title", .string, .required)
            .field("window_start", .datetime, .required)
            .field("window_end", .datetime, .required)
            .field("opener", .string, .required)
            .field("calling_opens", .int, .required)
            .field("calling_closes", .int, .required)
            .field("calling_days", .string, .required)
            .field("max_attempts", .int, .required)
            .field("spacing_minutes", .int, .required)
            .field("claim_minutes", .int, .required)
            .field("attempts", .int, .required)
            .field("callable", .int, .required)
            .field("uncallable", .int, .required)
            .field("got_through", .int, .required)
            .field("created_by", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .create()
        // One campaign per incident and program (NULLs, campaigns for a time window, never collide).
        try await database.sqlDatabase.create(index: "idx_campaigns_incident_id_program_id").unique()
            .on(Campaign.schema).column("incident_id").column("program_id").run()
        try await database.createIndex(on: Campaign.schema, columns: "program_id", "created_at")

        try await database.schema(CampaignCall.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, .id, onDelete: .cascade))
            .field("number", .string, .required)
            .field("problem", .string)
            .field("customer_ids", .string, .required)
            .field("zone", .string, .required)
            .field("attempts", .int, .required)
            .field("first_attempt_at", .datetime, .required)
            .field("last_attempt_at", .datetime, .required)
            .field("channels", .string, .required)
            .field("explicit", .bool, .required)
            .field("care", .bool, .required)
            .field("priority", .int, .required)
            .field("state", .string, .required)
            .field("due_at", .datetime)
            .field("claimed_by", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("claimed_at", .datetime)
            .field("tries", .int, .required)
            .field("outcome", .string)
            .field("reached", .bool, .required)
            .field("note", .string)
            .field("finished_at", .datetime)
            .unique(on: "campaign_id", "number")
            .create()
        // Claim-next walks the due calls in the campaign's order: by priority, the never-called first, then by first
        // attempt. Calls waiting for a retry come after the fresh ones of their priority, so a claim does not step
        // over thousands of them to find one that is due.
        try await database.createIndex(
            on: CampaignCall.schema, columns: "campaign_id", "state", "priority", "tries", "first_attempt_at")
        // The call a rep holds: three columns, so that SQLite (which keeps no statistics here) never prefers the
        // claim order's index and walks every due call of the campaign instead.
        try await database.createIndex(on: CampaignCall.schema, columns: "claimed_by", "campaign_id", "state")

        try await database.schema(CampaignAttempt.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, .id, onDelete: .cascade))
            .field("call_id", .uuid, .required, .references(CampaignCall.schema, .id, onDelete: .cascade))
            .field("try", .int, .required)
            .field("rep_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("outcome", .string, .required)
            .field("reached", .bool, .required)
            .field("contact_id", .uuid, .required, .references(Contact.schema, .id, onDelete: .cascade))
            .field("at", .datetime, .required)
            .unique(on: "call_id", "try")
            .create()
        try await database.createIndex(on: CampaignAttempt.schema, columns: "campaign_id", "at")

        try await database.schema(DoNotCall.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("number", .string, .required)
            .field("reason", .string, .required)
            .field("added_by", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("added_at", .datetime, .required)
            .unique(on: "program_id", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DoNotCall.schema).delete()
        try await database.schema(CampaignAttempt.schema).delete()
        try await database.schema(CampaignCall.schema).delete()
        try await database.schema(Campaign.schema).delete()
    }
}
