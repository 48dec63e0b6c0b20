/// Where a rep is: what routing asks before it offers a contact.
///
/// A rep sets `available`, `away` and `offline`; Daymaker sets `busy` while the rep is on a contact and `wrap-up`
/// for the program's wrap-up time after it.
public enum Presence: String, ClosedSet, Sendable {
    case available, busy
    case wrapUp = "wrap-up"
    case away, offline

    /// What a person may choose; the others follow from contacts.
    public var isChosen: Bool { self == .available || self == .away || self == .offline }

    /// Whether the rep may be back for a contact soon enough to be worth a short wait.
    var comingBack: Bool { self == .busy || self == .wrapUp }
}
