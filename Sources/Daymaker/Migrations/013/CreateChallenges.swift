import Fluent

/// Challenges: the prompt and its window, the programs it runs in, reps' stories and their threads.
struct CreateChallenges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Challenge.schema)
            .id()
            .field("title", .string, .required)
            .field("prompt", .string, .required)
            .field("incentive", .string)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("questions", .string, .required)
            .field("created_by", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime, .required)
            .field("closed_at", .datetime)
            .field("closed_by", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("summary", .string)
            .field("root_causes", .string)
            .field("awarded", .string)
            .create()
        try await database.schema(ChallengeProgram.schema)
            .id()
            .field("challenge_id", .uuid, .required, .references(Challenge.schema, .id, onDelete: .cascade))
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .unique(on: "challenge_id", "program_id")
            .create()
        try await database.createIndex(on: ChallengeProgram.schema, columns: "program_id")
        try await database.schema(ChallengeStory.schema)
            .id()
            .field("challenge_id", .uuid, .required, .references(Challenge.schema, .id, onDelete: .cascade))
            .field("program_id", .uuid, .required, .references(Program.schema, .id, onDelete: .cascade))
            .field("rep_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("contact_id", .uuid, .references(Contact.schema, .id, onDelete: .setNull))
            .field("moment_id", .uuid, .references(Moment.schema, .id, onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex(on: ChallengeStory.schema, columns: "challenge_id", "created_at")
        try await database.schema(StoryEntry.schema)
            .id()
            .field("story_id", .uuid, .required, .references(ChallengeStory.schema, .id, onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("questions", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.createIndex(on: StoryEntry.schema, columns: "story_id", "created_at")
    }

    func revert(on database: any Database) async throws {
        for schema in [StoryEntry.schema, ChallengeStory.schema, ChallengeProgram.schema, Challenge.schema] {
            try await database.schema(schema).delete()
        }
    }
}
