import Foundation
import Testing

@testable import Daymaker

@Suite struct SignInThrottleTests {
    let throttle = SignInThrottle()
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func tenFailuresWithinFifteenMinutesLockForFifteenMinutes() {
        var state = SignInThrottle.cleared
        for attempt in 1...10 {
            let (next, locked) = throttle.recordingFailure(state, now: start.addingTimeInterval(Double(attempt) * 60))
            state = next
            #expect(locked == (attempt == 10))
        }
        #expect(throttle.isLocked(state, now: start.addingTimeInterval(11 * 60)))
        #expect(throttle.isLocked(state, now: start.addingTimeInterval(24 * 60)))
        #expect(!throttle.isLocked(state, now: start.addingTimeInterval(25 * 60 + 1)))
    }

    @Test func failuresSpreadOverMoreThanTheWindowDoNotLock() {
        var state = SignInThrottle.cleared
        for attempt in 0..<20 {
            let (next, locked) = throttle.recordingFailure(state, now: start.addingTimeInterval(Double(attempt) * 120))
            state = next
            if attempt < 9 { #expect(!locked) }
        }
        // Attempts 2 minutes apart: 8 fit in a window, so the count restarts before reaching ten.
        #expect(!throttle.isLocked(state, now: start.addingTimeInterval(40 * 60)))
    }

    @Test func afterALockExpiresCountingStartsAfresh() {
        var state = SignInThrottle.State(failures: 0, firstFailureAt: nil, lockedUntil: start)
        let (next, locked) = throttle.recordingFailure(state, now: start.addingTimeInterval(1))
        state = next
        #expect(!locked)
        #expect(state.failures == 1)
        #expect(state.lockedUntil == nil)
    }
}
