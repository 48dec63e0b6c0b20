import Foundation
import Synchronization

/// Values remembered for `lifetime` seconds, for reads that are hot and change rarely (who a token belongs to,
/// a program's settings, a rep's name).
///
/// Invalidation is exact even under concurrency: a value loaded while an invalidation happened is returned to
/// its caller but not remembered, so a request that read the old permissions just before a change committed
/// cannot put them back after the change's event emptied the cache.
public final class TTLCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var entries: [Key: (value: Value, expires: Date)] = [:]
        /// Moves on every invalidation; a load stores its value only if it has not moved since the load began.
        var generation: UInt64 = 0
    }

    public let lifetime: TimeInterval
    private let capacity: Int
    private let state = Mutex(State())

    public init(lifetime: TimeInterval, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Read before loading, passed to `store` after.
    public var generation: UInt64 { state.withLock { $0.generation } }

    public func value(for key: Key, now: Date) -> Value? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard entry.expires > now else {
                state.entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    /// Remembers a value loaded since `generation` was read, for `lifetime` but never past `notAfter`.
    public func store(_ value: Value, for key: Key, now: Date, notAfter: Date? = nil, loadedAt generation: UInt64) {
        let expires = min(now.addingTimeInterval(lifetime), notAfter ?? .distantFuture)
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity {
                state.entries = state.entries.filter { $0.value.expires > now }
                if state.entries.count >= capacity { state.entries.removeAll() }
            }
            state.entries[key] = (value, expires)
        }
    }

    /// The remembered value, or the one `load` finds (remembered unless an invalidation happened meanwhile).
    public func value(for key: Key, now: Date, load: () async throws -> Value?) async rethrows -> Value? {
        if let value = value(for: key, now: now) { return value }
        let generation = self.generation
        guard let value = try await load() else { return nil }
        store(value, for: key, now: now, loadedAt: generation)
        return value
    }

    /// Changes a remembered value in place (its expiry stays).
    public func update(_ key: Key, _ change: (inout Value) -> Void) {
        state.withLock { state in
            guard var entry = state.entries[key] else { return }
            change(&entry.value)
            state.entries[key] = entry
        }
    }

    /// Forgets the entries that match, and stops loads under way from remembering what they read.
    public func remove(where matches: (Key, Value) -> Bool) {
        state.withLock { state in
            state.generation &+= 1
            state.entries = state.entries.filter { !matches($0.key, $0.value.value) }
        }
    }

    public func removeAll() { remove { _, _ in true } }

    public var count: Int { state.withLock { $0.entries.count } }
}
