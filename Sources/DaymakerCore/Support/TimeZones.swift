import Foundation
import Synchronization

/// Time zones by IANA name, each loaded once: on Linux `TimeZone(identifier:)` reads the zone file on every call,
/// and every recognition card needs its program's zone.
public enum TimeZones {
    private static let loaded = Mutex<[String: TimeZone]>([:])

    public static func named(_ identifier: String) -> TimeZone? {
        if let zone = loaded.withLock({ $0[identifier] }) { return zone }
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        loaded.withLock { $0[identifier] = zone }
        return zone
    }
}
