import Synchronization

/// How long routing decisions take, one sample per offer: from a pass being asked for (a rep became free, a tick),
/// or from a group of contact events writing its new contacts, to the offers committed (`decided`); and from the
/// pass's first read to the same commit (`pass`: a group routes its new contacts before it writes them, so on
/// PostgreSQL the read comes first). The ticker logs a summary for every ten seconds in which offers were made
/// (`notice`): what an operator watches, and what the events benchmark reads.
final class RoutingTimings: Sendable {
    private let samples = Mutex<(decided: [Duration], pass: [Duration])>(([], []))
    /// Beyond this many samples between summaries, new ones are dropped (a summary is due every ten seconds).
    private static let limit = 200_000

    /// The median and 99th percentile of the decisions since the last summary, and of their passes.
    struct Summary: Equatable {
        let count: Int
        let p50: Duration
        let p99: Duration
        let passP50: Duration
        let passP99: Duration
    }

    /// Records the offers of one pass; `pass` is `decided` unless the pass read before its contacts waited.
    func record(_ decided: Duration, pass: Duration? = nil, offers: Int) {
        guard offers > 0 else { return }
        samples.withLock { samples in
            let count = min(offers, Self.limit - samples.decided.count)
            samples.decided.append(contentsOf: repeatElement(decided, count: count))
            samples.pass.append(contentsOf: repeatElement(pass ?? decided, count: count))
        }
    }

    /// The decisions since the last summary, and forgets them; `nil` when none.
    func summary() -> Summary? {
        let taken = samples.withLock { samples in
            defer { samples = ([], []) }
            return samples
        }
        guard !taken.decided.isEmpty else { return nil }
        func percentile(_ q: Double, of sorted: [Duration]) -> Duration {
            sorted[min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))]
        }
        let (decided, pass) = (taken.decided.sorted(), taken.pass.sorted())
        return Summary(
            count: decided.count, p50: percentile(0.5, of: decided), p99: percentile(0.99, of: decided),
            passP50: percentile(0.5, of: pass), passP99: percentile(0.99, of: pass))
    }
}
