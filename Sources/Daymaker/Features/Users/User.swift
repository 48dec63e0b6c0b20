import DaymakerCore
import Fluent
import Foundation

/// Someone who signs in: a rep, a supervisor or an admin.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    /// Stored lower-cased, so uniqueness is case-insensitive.
    @Field(key: "email") var email: String
    @Field(key: "full_name") var fullName: String
    /// What customers hear ("Sarah").
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var role: Role
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "active") var active: Bool
    @Siblings(through: ProgramMembership.self, from: \.$user, to: \.$program) var programs: [Program]
    /// Languages the rep serves customers in (ISO 639 codes); none listed: any.
    @OptionalField(key: "languages") var languages: [String]?
    /// Channels the rep takes (`voice`, `chat`…); none listed: all.
    @OptionalField(key: "channels") var channels: [String]?
    /// Names customers call the rep by besides the display and full name ("Sal").
    @OptionalField(key: "nicknames") var nicknames: [String]?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, email: String, fullName: String, displayName: String, role: Role, passwordHash: String) {
        self.id = id
        self.email = email.lowercased()
        self.fullName = fullName
        self.displayName = displayName
        self.role = role
        self.passwordHash = passwordHash
        self.active = true
    }
}

/// A user's membership of a program.
final class ProgramMembership: Model, @unchecked Sendable {
    static let schema = "program_memberships"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Parent(key: "program_id") var program: Program
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    /// Throws a validation problem on `field` unless the user is an active member of the program.
    static func requireActiveMember(
        _ userID: UUID?, of programID: UUID, field: String, on db: any Database
    ) async throws {
        guard let userID else { return }
        let isMember =
            try await ProgramMembership.query(on: db)
            .filter(\.$user.$id == userID).filter(\.$program.$id == programID).count() > 0
        guard isMember, let user = try await User.find(userID, on: db), user.active else {
            throw ValidationFailure(field: field, "is not an active member of this program")
        }
    }
}
