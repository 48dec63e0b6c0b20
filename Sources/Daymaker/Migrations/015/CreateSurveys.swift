import Fluent
import SQLKit

/// Surveys after contacts, the thanks (kudos) that reach reps, the program's survey rules, customers who are not
/// to be contacted, and survey invitations in the outbox.
struct CreateSurveys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Survey.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("contact_id", .uuid, .required, .references(Contact.schema, .id, onDelete: .cascade))
            .field("customer_id", .uuid, .references(Customer.schema, .id, onDelete: .setNull))
            .field("rep_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("channel", .string, .required)
            .field("status", .string, .required)
            .field("skip_reason", .string)
            .field("address", .string)
            .field("token_hash", .string)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("expires_at", .datetime)
            .field("answered_at", .datetime)
            .field("score", .int)
            .field("made_day", .bool)
            .field("thanks", .string)
            .field("better", .string)
            .field("root_causes", .string)
            .field("alert", .bool, .required)
            .field("alert_handled_at", .datetime)
            .field("alert_handled_by", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .unique(on: "contact_id")
            .unique(on: "token_hash")
            .create()
        try await database.createIndex(on: Survey.schema, columns: "customer_id", "created_at")
        try await database.createIndex(on: Survey.schema, columns: "program_id", "created_at")
        try await database.createIndex(on: Survey.schema, columns: "rep_id", "answered_at")
        try await database.createIndex(on: Survey.schema, columns: "program_id", "alert", "alert_handled_at")
        try await database.createIndex(on: Survey.schema, columns: "status", "program_id")

        try await database.schema(Kudos.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("rep_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("source", .string, .required)
            .field("from_user_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("from_name", .string, .required)
            .field("survey_id", .uuid, .references(Survey.schema, .id, onDelete: .cascade))
            .field("contact_id", .uuid, .references(Contact.schema, .id, onDelete: .setNull))
            .field("customer_id", .uuid, .references(Customer.schema, .id, onDelete: .setNull))
            .field("text", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .unique(on: "survey_id", "rep_id")
            .create()
        try await database.createIndex(on: Kudos.schema, columns: "rep_id", "read_at")
        try await database.createIndex(on: Kudos.schema, columns: "rep_id", "created_at")

        try await database.schema(Program.schema)
            .field("survey_rules", .string, .required, .sql(.default(SQLLiteral.string("")))).update()
        try await database.schema(Customer.schema)
            .field("do_not_contact", .bool, .required, .sql(.default(SQLLiteral.boolean(false)))).update()
        try await database.schema(OutgoingMessage.schema)
            .field("survey_id", .uuid, .references(Survey.schema, .id, onDelete: .cascade)).update()
        // One invitation per survey (incident auto-replies have none).
        try await database.sqlDatabase.create(index: "uq_outgoing_mail_survey_id").on(OutgoingMessage.schema)
            .column("survey_id").unique().run()
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase.drop(index: "uq_outgoing_mail_survey_id").run()
        try await database.schema(OutgoingMessage.schema).deleteField("survey_id").update()
        try await database.schema(Customer.schema).deleteField("do_not_contact").update()
        try await database.schema(Program.schema).deleteField("survey_rules").update()
        try await database.schema(Kudos.schema).delete()
        try await database.schema(Survey.schema).delete()
    }
}
