import Synchronization

/// How long routing decisions take: from a pass being asked for (a rep became free, a tick), or from a group of
/// contact events having written its contacts, to the offers committed, one sample per offer. The ticker logs a summary for every ten seconds in which offers were
/// made (`notice`): what an operator watches, and what the events benchmark reads.
final class RoutingTimings: Sendable {
    private let samples = Mutex<[Duration]>([])
    /// Beyond this many samples between summaries, new ones are dropped (a summary is due every ten seconds).
    private static let limit = 200_000

    func record(_ duration: Duration, offers: Int) {
        guard offers > 0 else { return }
        samples.withLock { samples in
            samples.append(contentsOf: repeatElement(duration, count: min(offers, Self.limit - samples.count)))
        }
    }

    /// The decisions since the last summary (count, median, 99th percentile), and forgets them; `nil` when none.
    func summary() -> (count: Int, p50: Duration, p99: Duration)? {
        let taken = samples.withLock { samples in
            defer { samples.removeAll(keepingCapacity: true) }
            return samples
        }
        guard !taken.isEmpty else { return nil }
        let sorted = taken.sorted()
        func percentile(_ q: Double) -> Duration {
            sorted[min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))]
        }
        return (sorted.count, percentile(0.5), percentile(0.99))
    }
}
