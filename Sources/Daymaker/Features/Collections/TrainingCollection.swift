import DaymakerCore
import Fluent
import Foundation

/// Featured moments put in an order with discussion prompts, for a program's reps (or some of them) to discuss by a
/// due date. Moments of other programs are shown as they were shared (redacted).
final class TrainingCollection: Model, @unchecked Sendable {
    static let schema = "training_collections"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "title") var title: String
    @OptionalField(key: "description") var details: String?
    /// The last day to discuss it, `2026-12-20`, in the program's zone.
    @Field(key: "due_on") var dueOn: String
    /// Assigned to every rep of the program (besides any named in `TrainingAssignee`).
    @Field(key: "whole_program") var wholeProgram: Bool
    @Field(key: "created_by") var createdBy: UUID
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One moment of a collection, in its place, with what to discuss.
final class TrainingItem: Model, @unchecked Sendable {
    static let schema = "training_items"

    @ID(key: .id) var id: UUID?
    @Field(key: "collection_id") var collectionID: UUID
    @Field(key: "moment_id") var momentID: UUID
    @Field(key: "position") var position: Int
    @OptionalField(key: "prompt") var prompt: String?

    init() {}

    init(collection: UUID, moment: UUID, position: Int, prompt: String?) {
        self.collectionID = collection
        self.momentID = moment
        self.position = position
        self.prompt = prompt
    }
}

/// A rep a collection is assigned to by name.
final class TrainingAssignee: Model, @unchecked Sendable {
    static let schema = "training_assignees"

    @ID(key: .id) var id: UUID?
    @Field(key: "collection_id") var collectionID: UUID
    @Field(key: "rep_id") var repID: UUID

    init() {}

    init(collection: UUID, rep: UUID) {
        self.collectionID = collection
        self.repID = rep
    }
}

/// A rep's "discussed" for one moment of a collection, with their reflection. One per rep and moment.
final class TrainingDiscussion: Model, @unchecked Sendable {
    static let schema = "training_discussions"

    @ID(key: .id) var id: UUID?
    @Field(key: "collection_id") var collectionID: UUID
    @Field(key: "moment_id") var momentID: UUID
    @Field(key: "rep_id") var repID: UUID
    @Field(key: "reflection") var reflection: String
    @Field(key: "discussed_at") var discussedAt: Date

    init() {}
}
