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

    private var numbers: [String: (merged: Number, got: Date?)] = [:]

    public init() {}

    public mutating func attempt(_ number: String, problem: String?, at: Date, channel: Channel) {
        let none = Number(
            number: number, problem: nil, attempts: 0, first: at, last: at, voice: false, sms: false, explicit: false)
        numbers[number, default: (none, nil)].merged.add(problem: problem, at: at, channel: channel)
    }

    /// A contact with `number` answered at `at` (after every attempt is in: a number without attempts is not
    /// kept).
    public mutating func gotThrough(_ number: String, at: Date) {
        guard let known = numbers[number] else { return }
        if known.got.map({ at > $0 }) ?? true { numbers[number]?.got = at }
    }

    /// The numbers to call back, in number order; every attempt read, and the numbers left out as they got
    /// through after their last attempt.
    public var merged: (kept: [Number], attempts: Int, gotThrough: Int) {
        var kept: [Number] = []
        kept.reserveCapacity(numbers.count)
        var attempts = 0
        for (merged, got) in numbers.values {
            attempts += merged.attempts
            if let got, got > merged.last { continue }
            kept.append(merged)
        }
        kept.sort { $0.number < $1.number }
        return (kept, attempts, numbers.count - kept.count)
    }
}

extension CallbackMerge.Number {
    fileprivate mutating func add(problem: String?, at: Date, channel: CallbackMerge.Channel) {
        attempts += 1
        if let problem { self.problem = min(self.problem ?? problem, problem) }
        first = min(first, at)
        last = max(last, at)
        switch channel {
        case .voice: voice = true
        case .sms: sms = true
        case .request: (voice, explicit) = (true, true)
        }
    }
}
