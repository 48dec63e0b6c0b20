import Foundation

/// A change other parts of Daymaker react to, published once it is committed: caches forget what it made stale
/// (and, later, the live desk's WebSockets push it). Events name records by id and carry no personal data, since
/// on PostgreSQL they travel between instances through `NOTIFY`.
public enum DomainEvent: Codable, Equatable, Sendable {
    /// A user's role, active flag, programs, display name or password changed.
    case userChanged(UUID)
    /// An API token was revoked.
    case tokenRevoked(UUID)
    /// A program's name, zone or country, or its recognition settings, changed.
    case programChanged(UUID)
    /// A rep's presence changed.
    case presenceChanged(UUID)
    /// A rep was offered a contact, or an offer of theirs closed.
    case offerChanged(UUID)
    /// Someone left a message for a rep.
    case messageLeft(UUID)
    /// A program's contacts changed (one arrived, was answered, ended…): its queue board is stale.
    case queueChanged(UUID)
    /// A campaign's calls changed (one was claimed, or its outcome recorded): its progress is stale.
    case campaignChanged(UUID)
    /// Events may have been missed (the feed between instances was down): forget everything derived from them.
    case feedInterrupted
}
