import DaymakerCore
import Fluent
import Foundation

/// Reps' display names for the card: there are few reps, names rarely change, and joining users into every card
/// query cost more than the card's own reads. Forgotten at once when the user changes.
typealias RepNameCache = TTLCache<UUID, String>

extension TTLCache where Key == UUID, Value == String {
    func names(for ids: Set<UUID>, on db: any Database, now: Date) async throws -> [UUID: String] {
        var found: [UUID: String] = [:]
        var missing: [UUID] = []
        for id in ids {
            if let name = value(for: id, now: now) { found[id] = name } else { missing.append(id) }
        }
        guard !missing.isEmpty else { return found }
        let generation = self.generation
        for user in try await User.query(on: db).filter(\.$id ~~ missing).all() {
            guard let id = user.id else { continue }
            store(user.displayName, for: id, now: now, loadedAt: generation)
            found[id] = user.displayName
        }
        return found
    }
}
