import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Remembers who a bearer token belongs to for a few seconds, so busy integrations (a PBX asking for a
/// recognition card on every call) cost one dictionary look-up instead of three queries per request.
///
/// Revoking a token or changing a user clears this instance's cache at once; other instances behind the same
/// load balancer notice within `lifetime`.
final class PrincipalCache: Sendable {
    struct Entry: Sendable {
        let principal: Principal
        let tokenID: UUID
        let expires: Date
        var lastUsedAt: Date?
    }

    let lifetime: TimeInterval
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    init(lifetime: TimeInterval = 10) { self.lifetime = lifetime }

    func entry(for tokenHash: String, now: Date) -> Entry? {
        entries.withLockedValue { entries in
            guard let entry = entries[tokenHash] else { return nil }
            if entry.expires <= now {
                entries[tokenHash] = nil
                return nil
            }
            return entry
        }
    }

    func store(_ entry: Entry, for tokenHash: String) {
        entries.withLockedValue { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[tokenHash] = entry
        }
    }

    func markUsed(_ tokenHash: String, at date: Date) {
        entries.withLockedValue { $0[tokenHash]?.lastUsedAt = date }
    }

    /// Forgets everything, after a revocation or a change to a user's role, programs or active flag.
    func clear() { entries.withLockedValue { $0.removeAll() } }
}

extension Application {
    private struct PrincipalCacheKey: StorageKey { typealias Value = PrincipalCache }

    var principalCache: PrincipalCache {
        if let cache = storage[PrincipalCacheKey.self] { return cache }
        let cache = PrincipalCache()
        storage[PrincipalCacheKey.self] = cache
        return cache
    }
}
