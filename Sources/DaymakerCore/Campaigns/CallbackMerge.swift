import Foundation

/// Every attempt to reach a program in a campaign's window that did not get through, merged per number: how many
/// there were, the first and the last, on which channels, whether the caller asked to be called back, and why the
/// number cannot be called when it cannot. A number that got through after its last attempt is left out.
///
/// The attempts come first (`attempt`), then the contacts that got through (`gotThrough`): only numbers with
/// attempts are kept in memory, a few hundred thousand after a day's outage.
public struct CallbackMerge: Sendable {
    /// How an attempt came.
    public enum Channel: Int, Sendable {
        case voice = 0
        case sms = 1
        /// An explicit "call me back" (pressing 1 during an incident), a voice callback.
        case request = 2
    }

    /// One number's attempts.
    public struct Number: Equatable, Sendable {
        public var number: String
        /// Why the number cannot be called, when one of its attempts says so (the first such reason in text order).
        public var problem: String?
        public var attempts: Int
        public var first: Date
        public var last: Date
        public var voice: Bool
        public var sms: Bool
        public var explicit: Bool

        public init(
            number: String, problem: String?, attempts: Int, first: Date, last: Date, voice: Bool, sms: Bool,
            explicit: Bool
        ) {
            (self.number, self.problem, self.attempts, self.first, self.last) = (number, problem, attempts, first, last)
            (self.voice, self.sms, self.explicit) = (voice, sms, explicit)
        }
    }

    /// By number: a few hundred thousand after a day's outage, so kept small (times as seconds, the channels as
    /// bits).
    private var numbers: [String: Attempts] = [:]

    private struct Attempts {
        var problem: String?
        var first: Double
        var last: Double
        /// When the number last got through; -infinity when it has not.
        var got = -Double.infinity
        var count: Int32 = 0
        var channels: UInt8 = 0

        init(at seconds: Double) { (first, last) = (seconds, seconds) }

        mutating func add(problem: String?, at seconds: Double, channel: Channel) {
            count += 1
            if let problem { self.problem = min(self.problem ?? problem, problem) }
            first = min(first, seconds)
            last = max(last, seconds)
            switch channel {
            case .voice: channels |= CallbackMerge.voice
            case .sms: channels |= CallbackMerge.sms
            case .request: channels |= CallbackMerge.voice | CallbackMerge.request
            }
        }
    }

    public init() {}

    public mutating func attempt(_ number: String, problem: String?, at: Date, channel: Channel) {
        let seconds = at.timeIntervalSinceReferenceDate
        numbers[number, default: Attempts(at: seconds)].add(problem: problem, at: seconds, channel: channel)
    }

    /// A contact with `number` answered at `at` (after every attempt is in: a number without attempts is not
    /// kept).
    public mutating func gotThrough(_ number: String, at: Date) {
        let seconds = at.timeIntervalSinceReferenceDate
        guard let got = numbers[number]?.got, seconds > got else { return }
        numbers[number]?.got = seconds
    }

    /// The numbers to call back, in number order; every attempt read, and the numbers left out as they got
    /// through after their last attempt. (Taken once: the merge is emptied as they are.)
    public mutating func take() -> (kept: [Number], attempts: Int, gotThrough: Int) {
        var kept: [Number] = []
        kept.reserveCapacity(numbers.count)
        var attempts = 0
        var gotThrough = 0
        for (number, each) in numbers {
            attempts += Int(each.count)
            guard each.got <= each.last else {
                gotThrough += 1
                continue
            }
            kept.append(
                Number(
                    number: number, problem: each.problem, attempts: Int(each.count),
                    first: Date(timeIntervalSinceReferenceDate: each.first),
                    last: Date(timeIntervalSinceReferenceDate: each.last),
                    voice: each.channels & Self.voice != 0, sms: each.channels & Self.sms != 0,
                    explicit: each.channels & Self.request != 0))
        }
        numbers = [:]
        kept.sort { $0.number < $1.number }
        return (kept, attempts, gotThrough)
    }

    private static let voice: UInt8 = 1
    private static let sms: UInt8 = 2
    private static let request: UInt8 = 4
}
