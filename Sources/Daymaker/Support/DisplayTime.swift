import Foundation

/// Times as people read them on pages: "Mon 23 Nov 2026, 14:05" in the program's time zone.
enum DisplayTime {
    static func format(_ date: Date, in zone: TimeZone) -> String {
        string(date, zone, "EEE d MMM yyyy, HH:mm")
    }

    /// The same with the zone's abbreviation, for readers who may be elsewhere: "Mon 23 Nov 2026, 14:05 CST".
    static func zoned(_ date: Date, in zone: TimeZone) -> String {
        string(date, zone, "EEE d MMM yyyy, HH:mm zzz")
    }

    /// A day as people say it: "3 Sep".
    static func day(_ date: Date, zone: TimeZone) -> String {
        string(date, zone, "d MMM")
    }

    private static func string(_ date: Date, _ zone: TimeZone, _ format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter.string(from: date)
    }
}
