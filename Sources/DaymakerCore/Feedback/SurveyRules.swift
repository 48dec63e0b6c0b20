import Foundation

/// A program's rules for inviting customers to a survey after a contact ends. Reps never choose which contacts get
/// one (they would pick their best): the rules do, the same for every contact.
public struct SurveyRules: Codable, Equatable, Sendable {
    /// Off until a supervisor turns it on.
    public var enabled: Bool
    /// The channels whose contacts are surveyed (`voice`, `email`, `chat`, `social`, `sms`).
    public var channels: [String]
    /// How long after the contact ends the invitation goes out.
    public var delayMinutes: Int
    /// At most one invitation per customer in this many days.
    public var everyDays: Int
    /// How long an invitation's link works.
    public var expiryDays: Int
    /// A score at or below this alerts the rep's supervisor.
    public var lowScore: Int
    /// When surveys were last turned on (set by the server): only contacts that end after it are surveyed, so
    /// turning them on never reaches back to yesterday's customers.
    public var enabledAt: Date?

    public static let allChannels = ["voice", "email", "chat", "social", "sms"]

    public static let defaults = SurveyRules(
        enabled: false, channels: allChannels, delayMinutes: 30, everyDays: 30, expiryDays: 7, lowScore: 2)

    public init(
        enabled: Bool, channels: [String], delayMinutes: Int, everyDays: Int, expiryDays: Int, lowScore: Int
    ) {
        self.enabled = enabled
        self.channels = channels
        self.delayMinutes = delayMinutes
        self.everyDays = everyDays
        self.expiryDays = expiryDays
        self.lowScore = lowScore
    }

    /// Missing fields keep their defaults, so a client may send only what it changes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
        channels = try c.decodeIfPresent([String].self, forKey: .channels) ?? d.channels
        delayMinutes = try c.decodeIfPresent(Int.self, forKey: .delayMinutes) ?? d.delayMinutes
        everyDays = try c.decodeIfPresent(Int.self, forKey: .everyDays) ?? d.everyDays
        expiryDays = try c.decodeIfPresent(Int.self, forKey: .expiryDays) ?? d.expiryDays
        lowScore = try c.decodeIfPresent(Int.self, forKey: .lowScore) ?? d.lowScore
        enabledAt = try c.decodeIfPresent(Date.self, forKey: .enabledAt)
    }

    /// The rules, or every field out of range.
    public func validated() throws(ValidationFailure) -> SurveyRules {
        var errors = FieldValidator()
        for (index, channel) in channels.enumerated() where !Self.allChannels.contains(channel) {
            errors.add("channels[\(index)]", "'\(channel)' is not one of \(Self.allChannels.joined(separator: ", "))")
        }
        errors.check(Set(channels).count == channels.count, "channels", "must name each channel once")
        errors.check((0...10_080).contains(delayMinutes), "delayMinutes", "must be from 0 to 10080 (a week)")
        errors.check((0...365).contains(everyDays), "everyDays", "must be from 0 to 365")
        errors.check((1...90).contains(expiryDays), "expiryDays", "must be from 1 to 90")
        errors.check((1...4).contains(lowScore), "lowScore", "must be from 1 to 4")
        try errors.finish()
        var kept = self
        kept.channels = Self.allChannels.filter(channels.contains)
        return kept
    }

    /// How an invitation reaches the customer: an email with the link, a text message with the link (through the
    /// program's SMS webhook), or, on a call that ends with the caller still on the line, the post-call voice survey.
    public enum Transport: String, ClosedSet, Sendable { case email, sms, voice }

    /// Where an invitation goes, and how.
    public struct Invitation: Equatable, Sendable {
        public var by: Transport
        public var address: String

        public init(by: Transport, address: String) {
            self.by = by
            self.address = address
        }
    }

    /// What is known about an ended contact when its invitation is decided.
    public struct Candidate: Sendable {
        public var channel: String
        /// A rep handled it (abandoned and failed contacts are never surveyed).
        public var handled: Bool
        public var customerKnown: Bool
        /// Where the invitation could go, the preferred first (an email before a text message); a blank address is
        /// passed over.
        public var reachable: [Invitation]
        public var doNotContact: Bool
        /// An active bereavement care note.
        public var bereavement: Bool
        /// An incident is active in the program.
        public var incident: Bool
        /// The customer's last invitation.
        public var lastInvitedAt: Date?

        public init(
            channel: String, handled: Bool, customerKnown: Bool, reachable: [Invitation], doNotContact: Bool,
            bereavement: Bool, incident: Bool, lastInvitedAt: Date?
        ) {
            self.channel = channel
            self.handled = handled
            self.customerKnown = customerKnown
            self.reachable = reachable
            self.doNotContact = doNotContact
            self.bereavement = bereavement
            self.incident = incident
            self.lastInvitedAt = lastInvitedAt
        }
    }

    /// Why a contact gets no invitation (kept with it, so response rates count what was really asked).
    public enum Skip: String, ClosedSet, Sendable {
        case notHandled = "not-handled"
        case channel
        case unknownCustomer = "unknown-customer"
        case doNotContact = "do-not-contact"
        case bereavement
        case incident
        case recentlyInvited = "recently-invited"
        case noAddress = "no-address"
    }

    public enum Decision: Equatable, Sendable {
        case invite(Invitation)
        case skip(Skip)
    }

    /// Whether the contact's customer is invited, and where; the most important reason otherwise.
    public func decide(_ candidate: Candidate, now: Date) -> Decision {
        if !candidate.handled { return .skip(.notHandled) }
        if !channels.contains(candidate.channel) { return .skip(.channel) }
        if !candidate.customerKnown { return .skip(.unknownCustomer) }
        if candidate.doNotContact { return .skip(.doNotContact) }
        if candidate.bereavement { return .skip(.bereavement) }
        if candidate.incident { return .skip(.incident) }
        if let last = candidate.lastInvitedAt, now.timeIntervalSince(last) < Double(everyDays) * 86_400 {
            return .skip(.recentlyInvited)
        }
        for option in candidate.reachable {
            let address = option.address.trimmingWhitespace
            if !address.isEmpty { return .invite(Invitation(by: option.by, address: address)) }
        }
        return .skip(.noAddress)
    }
}
