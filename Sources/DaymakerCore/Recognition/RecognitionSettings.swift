import Foundation

/// The thresholds and wording behind the recognition card, one set per program, editable by supervisors.
public struct RecognitionSettings: Codable, Equatable, Sendable {
    /// A regular has at least this many inbound contacts (on distinct days) …
    public var regularMinimumContacts = 5
    /// … within this many days.
    public var windowDays = 90
    /// "Missed you" when the time since the last contact exceeds this multiple of the usual gap …
    public var missedGapMultiplier = 3.0
    /// … and is at least this many days.
    public var missedMinimumDays = 7
    /// Whether `john+rides@example.com` is matched to the customer known as `john@example.com`.
    public var matchEmailPlusTags = false
    /// The opening line for everyone. Placeholders: `{name}`, `{rep}`, `{program}`.
    public var greeting = "Hi {name}! This is {rep} — how can I help you today?"
    /// The opening line when a regular has been away. Placeholders as above plus `{days}`.
    public var missedGreeting = "Hi {name}! We haven't heard from you in {days} days — it's good to hear from you."
    /// The opening line for someone the program does not know yet.
    public var newCallerGreeting = "Thank you for calling {program}, this is {rep}. May I have your name?"

    public static let defaults = RecognitionSettings()

    public init() {}

    /// Missing fields keep their defaults, so a client may send only what it changes (and stored settings
    /// survive new fields being added).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RecognitionSettings.defaults
        regularMinimumContacts =
            try c.decodeIfPresent(Int.self, forKey: .regularMinimumContacts) ?? d.regularMinimumContacts
        windowDays = try c.decodeIfPresent(Int.self, forKey: .windowDays) ?? d.windowDays
        missedGapMultiplier = try c.decodeIfPresent(Double.self, forKey: .missedGapMultiplier) ?? d.missedGapMultiplier
        missedMinimumDays = try c.decodeIfPresent(Int.self, forKey: .missedMinimumDays) ?? d.missedMinimumDays
        matchEmailPlusTags = try c.decodeIfPresent(Bool.self, forKey: .matchEmailPlusTags) ?? d.matchEmailPlusTags
        greeting = try c.decodeIfPresent(String.self, forKey: .greeting) ?? d.greeting
        missedGreeting = try c.decodeIfPresent(String.self, forKey: .missedGreeting) ?? d.missedGreeting
        newCallerGreeting = try c.decodeIfPresent(String.self, forKey: .newCallerGreeting) ?? d.newCallerGreeting
    }

    /// Validates every threshold and template; the field names match the API.
    public func validated() throws(ValidationFailure) -> RecognitionSettings {
        var v = FieldValidator()
        v.check((1...100).contains(regularMinimumContacts), "regularMinimumContacts", "must be from 1 to 100")
        v.check((7...730).contains(windowDays), "windowDays", "must be from 7 to 730")
        v.check(missedGapMultiplier >= 1 && missedGapMultiplier <= 20, "missedGapMultiplier", "must be from 1 to 20")
        v.check((1...365).contains(missedMinimumDays), "missedMinimumDays", "must be from 1 to 365")
        for (field, template) in [
            ("greeting", greeting), ("missedGreeting", missedGreeting), ("newCallerGreeting", newCallerGreeting),
        ] {
            v.check(
                !template.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                    && template.unicodeScalars.count <= 300, field, "must be 1 to 300 characters")
            let unknown = Self.placeholders(in: template).subtracting(Self.placeholderNames)
            v.check(
                unknown.isEmpty, field,
                "unknown placeholder(s): \(unknown.sorted().map { "{\($0)}" }.joined(separator: ", "))")
            if unknown.isEmpty {
                let rest = Self.placeholderNames.reduce(template) { $0.replacingOccurrences(of: "{\($1)}", with: "") }
                v.check(!rest.contains("{"), field, "use { only to begin {name}, {rep}, {program} or {days}")
            }
        }
        try v.finish()
        return self
    }

    public static let placeholderNames: Set<String> = ["name", "rep", "program", "days"]

    private static func placeholders(in template: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
