import Foundation
import Testing

@testable import DaymakerCore

@Suite struct SignInThrottleTests {
    let throttle = SignInThrottle()

    @Test func theTenthFailedAttemptLocksAndLaterAttemptsAreNotEvenChecked() {
        for attempt in 1...9 { #expect(throttle.decide(attempt: attempt) == .check(locksOnFailure: false)) }
        #expect(throttle.decide(attempt: 10) == .check(locksOnFailure: true))
        #expect(throttle.decide(attempt: 11) == .lock)
        #expect(throttle.decide(attempt: 31) == .lock)
    }
}
