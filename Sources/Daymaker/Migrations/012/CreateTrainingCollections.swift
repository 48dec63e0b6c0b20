import Fluent

/// Training collections: ordered featured moments with prompts, who they are assigned to, and who discussed what.
struct CreateTrainingCollections: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TrainingCollection.schema)
            .id()
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("title", .string, .required)
            .field("description", .string)
            .field("due_on", .string, .required)
            .field("whole_program", .bool, .required)
            .field("created_by", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex(on: TrainingCollection.schema, columns: "program_id", "due_on")
        try await database.schema(TrainingItem.schema)
            .id()
            .field("collection_id", .uuid, .required, .references(TrainingCollection.schema, .id, onDelete: .cascade))
            .field("moment_id", .uuid, .required, .references(Moment.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("prompt", .string)
            .unique(on: "collection_id", "moment_id")
            .create()
        try await database.schema(TrainingAssignee.schema)
            .id()
            .field("collection_id", .uuid, .required, .references(TrainingCollection.schema, .id, onDelete: .cascade))
            .field("rep_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .unique(on: "collection_id", "rep_id")
            .create()
        try await database.createIndex(on: TrainingAssignee.schema, columns: "rep_id")
        try await database.schema(TrainingDiscussion.schema)
            .id()
            .field("collection_id", .uuid, .required, .references(TrainingCollection.schema, .id, onDelete: .cascade))
            .field("moment_id", .uuid, .required, .references(Moment.schema, .id, onDelete: .cascade))
            .field("rep_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("reflection", .string, .required)
            .field("discussed_at", .datetime, .required)
            .unique(on: "collection_id", "moment_id", "rep_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [
            TrainingDiscussion.schema, TrainingAssignee.schema, TrainingItem.schema, TrainingCollection.schema,
        ] {
            try await database.schema(schema).delete()
        }
    }
}
