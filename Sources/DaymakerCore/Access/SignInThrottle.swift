import Foundation

/// The sign-in limits, in plain numbers (`docs/security.md` lists them).
///
/// - Per account (any address typed in the form, whether or not it has an account, so the answers do not tell
///   which addresses exist): `maxFailures` failed attempts within `window` lock it for `lockout`. Attempts are
///   counted in the database *before* the password is checked, so parallel attempts cannot slip past the limit.
/// - Per client address: at most `perAddressInFlight` password checks at once, and at most
///   `perAddressFailures` failed attempts within `window`.
/// - Per instance: at most `concurrentChecks` bcrypt checks at once, with up to `waitingChecks` waiting.
public struct SignInThrottle: Sendable {
    public var maxFailures = 10
    public var window: TimeInterval = 15 * 60
    public var lockout: TimeInterval = 15 * 60
    public var perAddressInFlight = 4
    public var perAddressFailures = 50
    public var concurrentChecks = max(2, ProcessInfo.processInfo.activeProcessorCount)
    public var waitingChecks = 32

    public init() {}

    /// What to do with the `attempt`-th attempt in the current window, before the password is checked.
    public enum Decision: Equatable {
        /// Check the password; a wrong one locks the account when `locksOnFailure`.
        case check(locksOnFailure: Bool)
        /// Over the limit: lock without checking.
        case lock
    }

    public func decide(attempt: Int) -> Decision {
        attempt > maxFailures ? .lock : .check(locksOnFailure: attempt == maxFailures)
    }
}
