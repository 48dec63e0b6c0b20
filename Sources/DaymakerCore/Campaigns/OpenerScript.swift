import Foundation

/// What the rep says first on a campaign call, written once per campaign with placeholders filled per call:
/// "Hi John, my name is Peter. I'm from Ride Assist. You called us yesterday and unfortunately, because of a
/// systems outage, we couldn't take your call. Is there anything I can help you with now?"
public struct OpenerScript: Equatable, Sendable {
    /// The placeholders a script may use: the calling rep's display name (never a title), the program's name, when
    /// the customer called (in their own zone), and their preferred name ("there" when unknown).
    public static let placeholders = ["{rep}", "{program}", "{when}", "{customer}"]

    public static let standard = OpenerScript(
        uncheckedText:
            "Hi {customer}, my name is {rep}. I'm from {program}. You called us {when} and unfortunately, because of a "
            + "systems outage, we couldn't take your call. Is there anything I can help you with now?")

    public let text: String

    private init(uncheckedText text: String) { self.text = text }

    /// A script as stored, checked when the campaign was made.
    public init(stored text: String) { self.text = text }

    /// A script as a supervisor wrote it; a placeholder Daymaker does not fill is refused rather than read out.
    public init(_ text: String, field: String = "opener") throws(ValidationFailure) {
        var errors = FieldValidator()
        guard let text = errors.text(text, field, maxLength: 2000) else {
            try errors.finish()
            self = .standard
            return
        }
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                errors.add(field, "has a '{' without its '}'")
                break
            }
            let name = String(rest[open...close])
            if !Self.placeholders.contains(name) {
                errors.add(field, "\(name) is not a placeholder; use \(Self.placeholders.joined(separator: ", "))")
            }
            rest = rest[rest.index(after: close)...]
        }
        try errors.finish()
        self.text = text
    }

    /// The script for one call.
    public func filled(
        rep: String, program: String, customer: String?, called: Date, now: Date, zone: TimeZone
    )
        -> String
    {
        text.replacingOccurrences(of: "{rep}", with: rep)
            .replacingOccurrences(of: "{program}", with: program)
            .replacingOccurrences(of: "{customer}", with: customer?.nilIfBlank ?? "there")
            .replacingOccurrences(of: "{when}", with: Self.when(called, now: now, zone: zone))
    }

    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// When someone called, as a rep would say it to them: "earlier today", "yesterday", "on Friday" within the
    /// week, "on 20 November" (with the year when it was another year), by calendar days in their zone.
    public static func when(_ called: Date, now: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let days =
            calendar.dateComponents(
                [.day], from: calendar.startOfDay(for: called), to: calendar.startOfDay(for: now)
            ).day ?? 0
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: called)
        switch days {
        case ...0: return "earlier today"
        case 1: return "yesterday"
        case 2...6: return "on \(weekdays[parts.weekday! - 1])"
        default:
            let sameYear = parts.year == calendar.component(.year, from: now)
            return "on \(parts.day!) \(months[parts.month! - 1])" + (sameYear ? "" : " \(parts.year!)")
        }
    }
}
