import Foundation

/// Where Daymaker reads the time of day. Handlers, commands and background work ask the application's clock
/// (`req.now`, `app.clock.now`); policies take `now` as a value. Durations (how long an import ran) are measured
/// with Swift's `ContinuousClock` instead, which no one moves.
public protocol WallClock: Sendable {
    var now: Date { get }
}

/// The system's time: the one place Daymaker calls `Date()`.
public struct SystemClock: WallClock {
    public init() {}

    public var now: Date { Date() }
}
