import DaymakerCore
import Fluent
import Foundation

extension User {
    /// The program's active members, by display name (then id, so the order is stable).
    static func activeMembers(of programID: UUID, on db: any Database) async throws -> [User] {
        try await User.query(on: db)
            .join(ProgramMembership.self, on: \User.$id == \ProgramMembership.$user.$id)
            .filter(ProgramMembership.self, \.$program.$id == programID).filter(\.$active == true)
            .sort(\.$displayName).sort(\.$id).all()
    }

    /// The active members a customer's words name: a display, full or nickname, forgiving of case and accents, or
    /// a user id.
    static func members(named asked: String, of programID: UUID, on db: any Database) async throws -> [User] {
        let members = try await activeMembers(of: programID, on: db)
        let named = Set(
            RoutingPolicy.reps(named: asked, among: members.map { $0.routingRep(presence: .offline) }).map(\.id))
        return members.filter { $0.id.map(named.contains) ?? false }
    }

    /// Users' display names by id (for lists that name reps).
    static func displayNames(_ ids: Set<UUID>, on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(
            try await User.query(on: db).filter(\.$id ~~ Array(ids)).all().map { (try $0.requireID(), $0.displayName) },
            uniquingKeysWith: { first, _ in first })
    }
}
