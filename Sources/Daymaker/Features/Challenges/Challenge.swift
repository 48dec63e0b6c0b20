import DaymakerCore
import Fluent
import Foundation

/// "You have the power to make someone's day today": a manager's prompt to some programs' reps for a window of
/// time, with an incentive and follow-up questions; closed with who received the incentive and what the company
/// could have done differently.
final class Challenge: Model, @unchecked Sendable {
    static let schema = "challenges"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "prompt") var prompt: String
    @OptionalField(key: "incentive") var incentive: String?
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    /// The follow-up questions for a day made, one per line.
    @Field(key: "questions") var questions: String
    @Field(key: "created_by") var createdBy: UUID
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "closed_by") var closedBy: UUID?
    /// What the company could have done differently.
    @OptionalField(key: "summary") var summary: String?
    /// `RootCause` raw values, comma-separated.
    @OptionalField(key: "root_causes") var rootCauses: String?
    /// The reps who received the incentive, comma-separated ids.
    @OptionalField(key: "awarded") var awarded: String?

    init() {}

    var window: ChallengeWindow { ChallengeWindow(start: startsAt, end: endsAt, closedAt: closedAt) }
    var questionList: [String] { questions.split(separator: "\n").map(String.init) }
}

/// A program a challenge runs in.
final class ChallengeProgram: Model, @unchecked Sendable {
    static let schema = "challenge_programs"

    @ID(key: .id) var id: UUID?
    @Field(key: "challenge_id") var challengeID: UUID
    @Field(key: "program_id") var programID: UUID

    init() {}

    init(challenge: UUID, program: UUID) {
        self.challengeID = challenge
        self.programID = program
    }
}

/// A rep's story for a challenge: a day they made, or a hard contact that went badly despite their best effort
/// (seen only by the rep and supervisors).
final class ChallengeStory: Model, @unchecked Sendable {
    static let schema = "challenge_stories"

    enum Kind: String, ClosedSet, Sendable {
        case story
        case hardContact = "hard-contact"
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "challenge_id") var challengeID: UUID
    @Field(key: "program_id") var programID: UUID
    @Field(key: "rep_id") var repID: UUID
    @Field(key: "kind") var kind: Kind
    @Field(key: "text") var text: String
    @OptionalField(key: "contact_id") var contactID: UUID?
    /// The moment it was nominated as.
    @OptionalField(key: "moment_id") var momentID: UUID?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One turn of a story's thread: the manager's answer (with the follow-up questions sent), or the rep's reflection.
final class StoryEntry: Model, @unchecked Sendable {
    static let schema = "story_entries"

    enum Kind: String, ClosedSet, Sendable {
        case answer
        case reflection
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "story_id") var storyID: UUID
    @Field(key: "author_id") var authorID: UUID
    @Field(key: "kind") var kind: Kind
    @Field(key: "text") var text: String
    /// With an answer: the questions sent, one per line.
    @OptionalField(key: "questions") var questions: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(story: UUID, author: UUID, kind: Kind, text: String, questions: [String]? = nil, at now: Date) {
        id = UUID(timeOrderedAt: now)
        storyID = story
        authorID = author
        self.kind = kind
        self.text = text
        self.questions = questions?.joined(separator: "\n")
        createdAt = now
    }
}
