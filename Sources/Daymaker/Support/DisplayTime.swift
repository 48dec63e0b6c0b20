import Foundation

/// Times as people read them on pages: "Mon 23 Nov 2026, 14:05" in the program's time zone.
enum DisplayTime {
    static func format(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "EEE d MMM yyyy, HH:mm"
        return formatter.string(from: date)
    }
}
