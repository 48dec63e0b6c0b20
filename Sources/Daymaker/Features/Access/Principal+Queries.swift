import Fluent
import Foundation

extension Principal {
    /// Loads the principal for an active user, with their program memberships.
    static func load(userID: UUID, scopes: Set<Scope>?, on db: any Database) async throws -> Principal? {
        guard let user = try await User.find(userID, on: db), user.active else { return nil }
        let programIDs = try await ProgramMembership.query(on: db)
            .filter(\.$user.$id == userID)
            .all()
            .map { $0.$program.id }
        return Principal(
            userID: userID, role: user.role, displayName: user.displayName,
            programIDs: Set(programIDs), scopes: scopes)
    }
}
