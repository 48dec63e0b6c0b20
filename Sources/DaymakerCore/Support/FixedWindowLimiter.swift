import Foundation

/// At most `limit` requests per key (a client address) in each `window`: what the public survey pages allow, so
/// nobody can try tokens or flood answers. Forgets keys whose window has passed once it holds many.
public struct FixedWindowLimiter: Sendable {
    public let limit: Int
    public let window: TimeInterval
    private var counts: [String: (start: Date, count: Int)] = [:]

    public init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Counts a request; false once the key is over its limit in this window.
    public mutating func allow(_ key: String, now: Date) -> Bool {
        if counts.count > 10_000 { counts = counts.filter { now.timeIntervalSince($0.value.start) < window } }
        guard let entry = counts[key], now.timeIntervalSince(entry.start) < window else {
            counts[key] = (now, 1)
            return true
        }
        counts[key] = (entry.start, entry.count + 1)
        return entry.count < limit
    }
}
