import Foundation

/// How contacts abandoned before the target answer time count in the service level — a program setting, as in the
/// major ACDs: left out (`ignored`), counted as missing the target (`against`), or as meeting it (`favour`).
public enum AbandonsBeforeTarget: String, ClosedSet, Sendable {
    case ignored, against, favour
}

/// What insights need of a program's settings.
public struct InsightRules: Equatable, Sendable {
    /// Answered within this many seconds meets the service level.
    public var targetAnswer: TimeInterval
    /// A contact abandoned within this many seconds (a misdial, a caller who changed their mind) is not counted as
    /// offered or abandoned.
    public var shortAbandon: TimeInterval
    public var abandonsBeforeTarget: AbandonsBeforeTarget
    /// A repeat from the same customer about the same reason within this long means the first was not resolved.
    public static let repeatWindow: TimeInterval = 7 * 86_400

    public init(targetAnswer: TimeInterval, shortAbandon: TimeInterval, abandonsBeforeTarget: AbandonsBeforeTarget) {
        self.targetAnswer = targetAnswer
        self.shortAbandon = shortAbandon
        self.abandonsBeforeTarget = abandonsBeforeTarget
    }

    private static let posix = Locale(identifier: "en_US_POSIX")

    /// A contact's reason as repeats are matched: whatever the case, accents and spacing.
    public static func reasonKey(_ reason: String) -> String {
        reason.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: posix)
            .split(whereSeparator: { $0.isWhitespace || $0.isPunctuation }).joined(separator: " ")
    }

    /// Whether a contact (handled, with a customer and a reason) was resolved the first time: no contact of the
    /// same customer about the same reason arrived after it within `repeatWindow`. `later` are the customer's
    /// other contacts (arrival and reason key), `key` the contact's own reason key.
    public static func resolvedFirstTime(
        arrivedAt: Date, reasonKey key: String, later: [(arrivedAt: Date, reasonKey: String)]
    ) -> Bool {
        !later.contains {
            $0.reasonKey == key && $0.arrivedAt > arrivedAt
                && $0.arrivedAt <= arrivedAt.addingTimeInterval(repeatWindow)
        }
    }
}

/// Reasons' keys (see `InsightRules.reasonKey`), each worked out once: a program's contacts give a few dozen
/// reasons, and folding one takes longer than looking it up.
public struct ReasonKeys: Sendable {
    private var keys: [String: String] = [:]

    public init() {}

    public mutating func key(_ reason: String) -> String {
        if let key = keys[reason] { return key }
        let key = InsightRules.reasonKey(reason)
        keys[reason] = key
        return key
    }
}

/// One contact as insights count it.
public struct CountedContact: Sendable {
    public var inbound: Bool
    public var arrivedAt: Date
    public var answeredAt: Date?
    public var endedAt: Date?
    /// When the rep saved the wrap-up (a break after a hard contact comes after it and is never counted).
    public var wrappedAt: Date?
    public var abandoned: Bool
    /// `heated` or `abusive`.
    public var wellbeing: String?
    /// Whether no repeat came from the same customer about the same reason within 7 days; nil when it cannot be
    /// told (no customer, no reason, or not handled).
    public var resolvedFirstTime: Bool?

    public init(
        inbound: Bool, arrivedAt: Date, answeredAt: Date?, endedAt: Date?, wrappedAt: Date?, abandoned: Bool,
        wellbeing: String?, resolvedFirstTime: Bool?
    ) {
        self.inbound = inbound
        self.arrivedAt = arrivedAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.wrappedAt = wrappedAt
        self.abandoned = abandoned
        self.wellbeing = wellbeing
        self.resolvedFirstTime = resolvedFirstTime
    }
}

/// Counts that add up — an hour's, a day's, a rep's, a whole range's — from which every contact metric is worked
/// out (see the definitions beside each). Kept per day and hour in the roll-ups, so a dashboard over months sums a
/// few thousand rows, never the contacts.
public struct ContactCounters: Codable, Equatable, Sendable {
    /// Every contact, inbound and outbound.
    public var contacts = 0
    /// Inbound contacts answered by a rep.
    public var answered = 0
    /// … of which within the target answer time.
    public var answeredInTarget = 0
    /// Inbound contacts abandoned after the short-abandon threshold.
    public var abandoned = 0
    /// … of which before the target answer time.
    public var abandonedInTarget = 0
    /// Inbound contacts abandoned within the short-abandon threshold: not offered, not abandoned.
    public var shortAbandoned = 0
    /// Seconds from arrival to answer, summed over the answered.
    public var waitSeconds = 0.0
    /// Contacts answered and ended: handled.
    public var handled = 0
    /// Seconds from answer to end, summed over the handled.
    public var talkSeconds = 0.0
    /// Seconds from end to the saved wrap-up, summed over the handled that were wrapped up.
    public var wrapSeconds = 0.0
    /// Handled contacts whose first-contact resolution can be told (a customer and a reason).
    public var resolutionKnown = 0
    /// … of which no repeat came within 7 days.
    public var resolvedFirstTime = 0
    public var heated = 0
    public var abusive = 0

    public init() {}

    /// Counts one contact. The server's roll-ups sum an hour of contacts in SQL the same way
    /// (`InsightRollups.count(_:span:…)` in the Daymaker target): a change here is a change there.
    public mutating func add(_ contact: CountedContact, rules: InsightRules) {
        contacts += 1
        if contact.wellbeing == "heated" { heated += 1 }
        if contact.wellbeing == "abusive" { abusive += 1 }
        if contact.inbound, let answered = contact.answeredAt {
            let wait = max(0, answered.timeIntervalSince(contact.arrivedAt))
            self.answered += 1
            waitSeconds += wait
            if wait <= rules.targetAnswer { answeredInTarget += 1 }
        } else if contact.inbound, contact.abandoned {
            let waited = max(0, (contact.endedAt ?? contact.arrivedAt).timeIntervalSince(contact.arrivedAt))
            if waited <= rules.shortAbandon {
                shortAbandoned += 1
            } else {
                abandoned += 1
                if waited <= rules.targetAnswer { abandonedInTarget += 1 }
            }
        }
        if let answered = contact.answeredAt, let ended = contact.endedAt, !contact.abandoned {
            handled += 1
            talkSeconds += max(0, ended.timeIntervalSince(answered))
            if let wrapped = contact.wrappedAt { wrapSeconds += max(0, wrapped.timeIntervalSince(ended)) }
            if let resolved = contact.resolvedFirstTime {
                resolutionKnown += 1
                if resolved { resolvedFirstTime += 1 }
            }
        }
    }

    public static func + (lhs: ContactCounters, rhs: ContactCounters) -> ContactCounters {
        var sum = lhs
        sum += rhs
        return sum
    }

    public static func += (lhs: inout ContactCounters, rhs: ContactCounters) {
        lhs.contacts += rhs.contacts
        lhs.answered += rhs.answered
        lhs.answeredInTarget += rhs.answeredInTarget
        lhs.abandoned += rhs.abandoned
        lhs.abandonedInTarget += rhs.abandonedInTarget
        lhs.shortAbandoned += rhs.shortAbandoned
        lhs.waitSeconds += rhs.waitSeconds
        lhs.handled += rhs.handled
        lhs.talkSeconds += rhs.talkSeconds
        lhs.wrapSeconds += rhs.wrapSeconds
        lhs.resolutionKnown += rhs.resolutionKnown
        lhs.resolvedFirstTime += rhs.resolvedFirstTime
        lhs.heated += rhs.heated
        lhs.abusive += rhs.abusive
    }

    // MARK: Definitions (nil: nothing to measure)

    /// Offered: inbound contacts answered or abandoned after the short-abandon threshold.
    public var offered: Int { answered + abandoned }

    /// Average speed of answer: seconds from arrival to answer, averaged over the answered.
    public var averageSpeedOfAnswer: Double? { answered == 0 ? nil : waitSeconds / Double(answered) }

    /// Service level: the share of offered contacts answered within the target. Contacts abandoned before the target
    /// are left out (`ignored`), count as missed (`against`) or as met (`favour`).
    public func serviceLevel(_ policy: AbandonsBeforeTarget) -> Double? {
        let (met, base): (Int, Int) =
            switch policy {
            case .ignored: (answeredInTarget, offered - abandonedInTarget)
            case .against: (answeredInTarget, offered)
            case .favour: (answeredInTarget + abandonedInTarget, offered)
            }
        return base == 0 ? nil : Double(met) / Double(base)
    }

    /// Abandonment rate: contacts abandoned after the short-abandon threshold ÷ offered.
    public var abandonmentRate: Double? { offered == 0 ? nil : Double(abandoned) / Double(offered) }

    /// Average handle time: talk (answer to end) plus wrap-up (end to the saved wrap-up), averaged over the handled.
    public var averageHandleTime: Double? {
        handled == 0 ? nil : (talkSeconds + wrapSeconds) / Double(handled)
    }

    /// First-contact resolution: the share of handled contacts (with a customer and a reason) after which the same
    /// customer did not come back about the same reason within 7 days.
    public var firstContactResolution: Double? {
        resolutionKnown == 0 ? nil : Double(resolvedFirstTime) / Double(resolutionKnown)
    }
}
