import DaymakerCore
import Fluent
import Foundation

/// A waiting contact offered to one rep, open until the rep accepts or declines it or its time runs out.
///
/// The database holds the promise "no rep holds two offers, no contact is offered to two reps": at most one open
/// offer per rep and per contact (partial unique indexes), whichever instance wrote it.
final class Offer: Model, @unchecked Sendable {
    static let schema = "offers"

    enum Status: String, ClosedSet, Sendable { case open, accepted, declined, expired, withdrawn }

    /// Why this rep: what the desk says ("asked for you", "you helped last on 3 Sep").
    enum Reason: String, ClosedSet, Sendable {
        case askedFor = "asked-for"
        case preferred
        case helpedLast = "helped-last"
        case available
        /// The rep who had the contact hands it over, with a word of context.
        case transfer
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Parent(key: "contact_id") var contact: Contact
    @Parent(key: "rep_id") var rep: User
    @Field(key: "reason") var reason: Reason
    /// For `helped-last`: when the rep last helped this customer.
    @OptionalField(key: "helped_at") var helpedAt: Date?
    @Field(key: "status") var status: Status
    @Field(key: "offered_at") var offeredAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "decided_at") var decidedAt: Date?
    /// For `transfer`: who hands the contact over, and what they want the next rep to know.
    @OptionalField(key: "transferred_by_id") var transferredByID: UUID?
    @OptionalField(key: "note") var note: String?

    init() {}

    init(programID: UUID, contact: UUID, rep: UUID, reason: RoutingPolicy.Reason, now: Date, timeout: TimeInterval) {
        self.programID = programID
        self.$contact.id = contact
        self.$rep.id = rep
        switch reason {
        case .askedFor: self.reason = .askedFor
        case .preferred: self.reason = .preferred
        case .helpedLast(let at):
            self.reason = .helpedLast
            self.helpedAt = at
        case .available: self.reason = .available
        }
        self.status = .open
        self.offeredAt = now
        self.expiresAt = now.addingTimeInterval(timeout)
    }
}
