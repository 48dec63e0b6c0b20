import Foundation

/// Wall times people type, read in a zone: a form's `datetime-local` (`2026-11-20T14:00`), the command line's
/// `2026-11-20 14:00`, and a form's `date` (`2026-11-20`, the day's start).
enum LocalTime {
    static func read(_ text: String, zone: TimeZone) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        let text = text.replacingOccurrences(of: " ", with: "T")
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    static func dayStart(_ text: String, zone: TimeZone) -> Date? {
        read(text + "T00:00", zone: zone)
    }

    /// The day a date falls on in the zone, as a form's `date` writes it (`2026-11-20`).
    static func day(_ date: Date, zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
