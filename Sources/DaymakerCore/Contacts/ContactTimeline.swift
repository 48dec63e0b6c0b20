import Foundation

/// Where a contact stands: waiting, offered to a rep, with a rep, or over (and how).
public enum ContactStatus: String, ClosedSet, Sendable {
    case queued, offered, connected, ended, abandoned, failed

    public var isOver: Bool { self == .ended || self == .abandoned || self == .failed }
}

/// A contact's timeline as its events tell it. Telephony systems send events late, twice and out of order, so the
/// timeline is always folded from every event the contact has, in the order of their own times (`at`), never in
/// the order they arrived: an `ended` that comes before its `answered` leaves the same timeline.
public struct ContactTimeline: Equatable, Sendable {
    /// What a telephony system, mail gateway or chat widget reports about a contact.
    public enum EventType: String, ClosedSet, Sendable {
        case arrived, queued, offered, answered, transferred, ended, abandoned, failed

        /// The status a contact is in after this event.
        var status: ContactStatus {
            switch self {
            case .arrived, .queued: .queued
            case .offered: .offered
            case .answered, .transferred: .connected
            case .ended: .ended
            case .abandoned: .abandoned
            case .failed: .failed
            }
        }

        /// Events at the same instant apply in the order a call goes through them.
        var step: Int { Self.allCases.firstIndex(of: self)! }
    }

    public struct Event: Equatable, Sendable {
        public var type: EventType
        public var at: Date
        /// The rep the event names: who answered, or who the contact was transferred to.
        public var repID: UUID?

        public init(_ type: EventType, at: Date, repID: UUID? = nil) {
            self.type = type
            self.at = at
            self.repID = repID
        }
    }

    public var status: ContactStatus
    public var answeredAt: Date?
    public var endedAt: Date?
    /// The rep who has (or had) the contact: the last one it was answered by or transferred to.
    public var repID: UUID?

    /// Folds `events` in the order of their times. Once a contact is over (ended, abandoned, failed) it stays over,
    /// whatever comes later; the earliest answer is when it was answered, the last end when it ended.
    public init(events: [Event]) {
        let ordered = events.sorted { ($0.at, $0.type.step) < ($1.at, $1.type.step) }
        var status = ContactStatus.queued
        var answeredAt: Date?
        var endedAt: Date?
        var repID: UUID?
        for event in ordered {
            if event.type.status.isOver {
                status = event.type.status
                endedAt = event.at
                continue
            }
            if event.type == .answered, answeredAt == nil { answeredAt = event.at }
            if event.type == .answered || event.type == .transferred, let rep = event.repID { repID = rep }
            if !status.isOver { status = event.type.status }
        }
        self.status = status
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.repID = repID
    }
}
