import Foundation
import NIOConcurrencyHelpers

/// Time zones by IANA name, each loaded once: on Linux `TimeZone(identifier:)` reads the zone file on every call,
/// and every recognition card needs its program's zone.
enum TimeZones {
    private static let loaded = NIOLockedValueBox<[String: TimeZone]>([:])

    static func named(_ identifier: String) -> TimeZone? {
        if let zone = loaded.withLockedValue({ $0[identifier] }) { return zone }
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        loaded.withLockedValue { $0[identifier] = zone }
        return zone
    }
}
