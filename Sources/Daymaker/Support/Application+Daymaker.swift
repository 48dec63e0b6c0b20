import DaymakerCore
import Vapor

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    private struct ClockKey: StorageKey { typealias Value = any WallClock }

    /// The configuration `configure` was given.
    var config: AppConfig {
        get {
            guard let config = storage[ConfigKey.self] else { fatalError("configure(_:config:) has not run") }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }

    /// The time of day as Daymaker reads it: the system's, unless a test set a `ManualClock` before `configure`.
    var clock: any WallClock {
        get { storage[ClockKey.self] ?? SystemClock() }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    /// The application clock's time.
    var now: Date { application.clock.now }

    /// A UUID path parameter; a malformed one is simply a record that does not exist.
    func uuidParameter(_ name: String, _ what: String = "The requested record") throws(NotFound) -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else { throw NotFound(what) }
        return id
    }
}
