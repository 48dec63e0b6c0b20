import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Reps' display names for the card, remembered for a minute: there are few reps, names rarely change, and
/// joining users into every card query cost more than the card's own reads.
final class RepNameCache: Sendable {
    private struct Entry: Sendable {
        let name: String
        let expires: Date
    }

    let lifetime: TimeInterval
    private let entries = NIOLockedValueBox<[UUID: Entry]>([:])

    init(lifetime: TimeInterval = 60) { self.lifetime = lifetime }

    func names(for ids: Set<UUID>, on db: any Database, now: Date) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var found: [UUID: String] = [:]
        var missing: [UUID] = []
        entries.withLockedValue { entries in
            for id in ids {
                if let entry = entries[id], entry.expires > now { found[id] = entry.name } else { missing.append(id) }
            }
        }
        guard !missing.isEmpty else { return found }
        let users = try await User.query(on: db).filter(\.$id ~~ missing).all()
        let expires = now.addingTimeInterval(lifetime)
        entries.withLockedValue { entries in
            if entries.count > 50_000 { entries.removeAll() }
            for user in users {
                guard let id = user.id else { continue }
                entries[id] = Entry(name: user.displayName, expires: expires)
                found[id] = user.displayName
            }
        }
        return found
    }

    func clear() { entries.withLockedValue { $0.removeAll() } }
}

extension Application {
    private struct RepNameCacheKey: StorageKey { typealias Value = RepNameCache }

    var repNames: RepNameCache {
        if let cache = storage[RepNameCacheKey.self] { return cache }
        let cache = RepNameCache()
        storage[RepNameCacheKey.self] = cache
        return cache
    }
}
