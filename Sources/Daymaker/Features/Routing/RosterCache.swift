import DaymakerCore
import Fluent
import Foundation

/// Each program's active members as routing sees them apart from presence and offers: the names a customer may ask
/// for and the languages and channels they serve. A routing pass needs them every time and they change rarely;
/// forgotten at once when any user changes (names, skills, programs, a new member).
typealias RosterCache = TTLCache<UUID, [RoutingPolicy.Rep]>

extension TTLCache where Key == UUID, Value == [RoutingPolicy.Rep] {
    /// The program's members, offline and holding no offer until the pass fills those in.
    func members(of programID: UUID, now: Date, on db: any Database) async throws -> [RoutingPolicy.Rep] {
        try await value(for: programID, now: now) {
            try await User.activeMembers(of: programID, on: db).map { $0.routingRep(presence: .offline) }
        } ?? []
    }
}
