import Foundation

/// What the card knows about a person from their history: plain values in, plain values out.
///
/// Contacts are counted by **local calendar day** in the program's time zone, so a burst of calls on one
/// afternoon is one day of contact, and an 11:50 pm call and a 12:10 am call are two days.
public struct RecognitionPolicy: Sendable {
    public var settings: RecognitionSettings
    public var timeZone: TimeZone {
        didSet { calendar.timeZone = timeZone }
    }
    private var calendar: Calendar

    public init(settings: RecognitionSettings, timeZone: TimeZone) {
        self.settings = settings
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// One past contact, as much as the policy needs.
    public struct Past: Equatable, Sendable {
        public var arrivedAt: Date
        public var inbound: Bool
        public var repID: UUID?
        /// False for abandoned or failed contacts, which nobody handled.
        public var handled: Bool

        public init(arrivedAt: Date, inbound: Bool, repID: UUID?, handled: Bool) {
            self.arrivedAt = arrivedAt
            self.inbound = inbound
            self.repID = repID
            self.handled = handled
        }
    }

    public struct Assessment: Equatable, Sendable {
        public var regular: Bool
        /// Median gap in days between contact days in the window; nil with fewer than two contact days.
        public var usualGapDays: Double?
        /// Calendar days since the last contact; nil for someone never in touch.
        public var daysSinceLastContact: Int?
        public var missedYou: Bool

        public init(regular: Bool, usualGapDays: Double?, daysSinceLastContact: Int?, missedYou: Bool) {
            self.regular = regular
            self.usualGapDays = usualGapDays
            self.daysSinceLastContact = daysSinceLastContact
            self.missedYou = missedYou
        }
    }

    public struct Bond: Equatable, Sendable {
        /// The rep who handled most of their contacts (the more recent one on a tie).
        public var mostHelpedBy: UUID?
        public var lastHelpedBy: UUID?
        public var contactsWithMostHelped: Int

        public init(mostHelpedBy: UUID?, lastHelpedBy: UUID?, contactsWithMostHelped: Int) {
            self.mostHelpedBy = mostHelpedBy
            self.lastHelpedBy = lastHelpedBy
            self.contactsWithMostHelped = contactsWithMostHelped
        }
    }

    public func assess(_ history: [Past], now: Date) -> Assessment {
        let today = day(of: now)
        let allDays = Set(history.map { day(of: $0.arrivedAt) })
        let windowStart = today - settings.windowDays
        let inboundDays = Set(history.filter(\.inbound).map { day(of: $0.arrivedAt) }).filter {
            $0 > windowStart && $0 <= today
        }
        let sortedDays = inboundDays.sorted()
        let gaps = zip(sortedDays.dropFirst(), sortedDays).map { Double($0 - $1) }
        let usual = Self.median(gaps)
        let regular = inboundDays.count >= settings.regularMinimumContacts
        let since = allDays.filter { $0 <= today }.max().map { today - $0 }
        var missed = false
        if regular, let usual, let since {
            missed = Double(since) > settings.missedGapMultiplier * usual && since >= settings.missedMinimumDays
        }
        return Assessment(regular: regular, usualGapDays: usual, daysSinceLastContact: since, missedYou: missed)
    }

    public func bond(_ history: [Past]) -> Bond {
        let handled = history.filter { $0.handled && $0.repID != nil }.sorted { $0.arrivedAt < $1.arrivedAt }
        var counts: [UUID: (count: Int, last: Date)] = [:]
        for contact in handled {
            guard let rep = contact.repID else { continue }
            counts[rep] = ((counts[rep]?.count ?? 0) + 1, contact.arrivedAt)
        }
        let most = counts.max { a, b in (a.value.count, a.value.last) < (b.value.count, b.value.last) }
        return Bond(
            mostHelpedBy: most?.key, lastHelpedBy: handled.last?.repID, contactsWithMostHelped: most?.value.count ?? 0)
    }

    /// The suggested opening line.
    public func greeting(name: String?, assessment: Assessment?, rep: String, program: String) -> String {
        let template: String
        if assessment == nil {
            template = settings.newCallerGreeting
        } else if assessment?.missedYou == true {
            template = settings.missedGreeting
        } else {
            template = settings.greeting
        }
        return Self.fill(template) { placeholder in
            switch placeholder {
            case "name": name ?? "there"
            case "rep": rep
            case "program": program
            case "days": String(assessment?.daysSinceLastContact ?? 0)
            default: nil
            }
        }
    }

    /// Replaces each `{placeholder}` the closure knows in one pass; others stay as written.
    /// (Every card fills a greeting; Foundation's `replacingOccurrences` costs more than the rest of the policy.)
    public static func fill(_ template: String, _ value: (Substring) -> String?) -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            result += rest[..<open]
            let name = rest[rest.index(after: open)..<close]
            result += value(name) ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Days since 1970-01-01 of the local calendar date in the program's zone.
    public func day(of date: Date) -> Int {
        // The zone's offset at that instant turns UTC seconds into local seconds; whole days of those are local dates.
        let local = date.timeIntervalSince1970 + Double(calendar.timeZone.secondsFromGMT(for: date))
        return Int((local / 86_400).rounded(.down))
    }

    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }
}
