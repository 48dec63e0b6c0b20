import Foundation

/// Locks an account after repeated failed sign-ins: `maxFailures` within `window` locks it for `lockout`.
struct SignInThrottle: Sendable {
    var maxFailures = 10
    var window: TimeInterval = 15 * 60
    var lockout: TimeInterval = 15 * 60

    struct State: Equatable, Sendable {
        var failures: Int
        var firstFailureAt: Date?
        var lockedUntil: Date?
    }

    func isLocked(_ state: State, now: Date) -> Bool {
        guard let until = state.lockedUntil else { return false }
        return until > now
    }

    /// The state after one more failure, and whether this failure locked the account.
    func recordingFailure(_ state: State, now: Date) -> (state: State, lockedNow: Bool) {
        var next = state
        if let first = state.firstFailureAt, now.timeIntervalSince(first) < window, !isExpiredLock(state, now: now) {
            next.failures += 1
        } else {
            next.failures = 1
            next.firstFailureAt = now
            next.lockedUntil = nil
        }
        if next.failures >= maxFailures {
            next.lockedUntil = now.addingTimeInterval(lockout)
            next.failures = 0
            next.firstFailureAt = nil
            return (next, true)
        }
        return (next, false)
    }

    static let cleared = State(failures: 0, firstFailureAt: nil, lockedUntil: nil)

    private func isExpiredLock(_ state: State, now: Date) -> Bool {
        guard let until = state.lockedUntil else { return false }
        return until <= now
    }
}
