import DaymakerCore
import Foundation
import Synchronization
import Vapor

@testable import Daymaker

/// A clock that stands still until it is moved: tests run at a fixed instant and step past calling windows,
/// token expiry and cache lifetimes.
final class ManualClock: WallClock {
    private let instant: Mutex<Date>

    init(_ start: Date) {
        instant = Mutex(start)
    }

    var now: Date { instant.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        instant.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

extension Application {
    /// The clock `withApp` gave the application, to move.
    var manualClock: ManualClock {
        guard let clock = clock as? ManualClock else { fatalError("withApp sets a ManualClock") }
        return clock
    }
}
