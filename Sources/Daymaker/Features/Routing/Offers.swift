import DaymakerCore
import Fluent
import Foundation
import SQLKit

/// What a rep does with an offer, and what a contact's end does to its offers and its rep.
enum Offers {
    /// The rep takes the contact: it is theirs, and they are busy. A chat, email, social or SMS contact is
    /// answered by accepting it; a call is answered when the rep's phone connects (the telephony system reports it).
    static func accept(_ offerID: UUID, by principal: Principal, now: Date, on db: any Database) async throws -> Offer {
        try await db.writeTransaction { db in
            let offer = try await Self.decidable(offerID, by: principal, now: now, on: db)
            offer.status = .accepted
            offer.decidedAt = now
            try await offer.save(on: db)
            guard let contact = try await Contact.find(offer.$contact.id, on: db) else { throw NotFound("Contact") }
            contact.$rep.id = principal.userID
            contact.routingNote = nil
            try await contact.save(on: db)
            if contact.channel != .voice {
                try await ContactEvents.record(
                    .answered, at: now, repID: principal.userID, eventID: "offer-\(offerID.lowercaseText)-accepted",
                    contact: contact, now: now, on: db)
            }
            try await RepPresence.set(.busy, userID: principal.userID, by: nil, until: nil, now: now, on: db)
            return offer
        }
    }

    /// The rep passes: the contact goes to the next choice (the caller routes again) and is not offered to this rep
    /// again.
    static func decline(_ offerID: UUID, by principal: Principal, now: Date, on db: any Database) async throws -> Offer
    {
        try await db.writeTransaction { db in
            let offer = try await Self.decidable(offerID, by: principal, now: now, on: db)
            offer.status = .declined
            offer.decidedAt = now
            try await offer.save(on: db)
            return offer
        }
    }

    /// The rep's own open offer (locked until the transaction ends on PostgreSQL); anyone else's is not found.
    private static func decidable(
        _ id: UUID, by principal: Principal, now: Date, on db: any Database
    ) async throws
        -> Offer
    {
        let sql = try db.sqlDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT id FROM offers WHERE id = \(bind: id) FOR UPDATE").run()
        }
        guard let offer = try await Offer.find(id, on: db), offer.$rep.id == principal.userID else {
            throw NotFound("Offer")
        }
        guard offer.status == .open, offer.expiresAt > now else {
            throw RoutingError.offerClosed(offer.status == .open ? .expired : offer.status)
        }
        return offer
    }

    /// After an event changed a contact: a contact that is over withdraws its open offer; its rep is busy while
    /// on it and in wrap-up for the program's wrap-up time after it ends or is transferred away. Returns the rep
    /// whose presence changed.
    static func follow(
        _ type: ContactTimeline.EventType, repID: UUID?, contact: Contact, settings: RoutingSettings, now: Date,
        on db: any Database
    ) async throws -> UUID? {
        if contact.status.isOver {
            try await Offer.query(on: db).filter(\.$contact.$id == contact.requireID()).filter(\.$status == .open)
                .set(\.$status, to: .withdrawn).set(\.$decidedAt, to: now).update()
        }
        guard let rep = repID ?? contact.$rep.id else { return nil }
        switch type {
        case .answered:
            try await RepPresence.set(.busy, userID: rep, by: nil, until: nil, now: now, on: db)
            return rep
        case .ended, .transferred:
            guard try await PresenceRecord.query(on: db).filter(\.$user.$id == rep).first()?.state == .busy else {
                return nil
            }
            try await RepPresence.set(
                .wrapUp, userID: rep, by: nil, until: now.addingTimeInterval(settings.wrapUp), now: now, on: db)
            return rep
        default:
            return nil
        }
    }
}

enum RoutingError: DomainError, Equatable {
    case offerClosed(Offer.Status)

    var kind: DomainErrorKind { .conflict }

    var description: String {
        switch self {
        case .offerClosed(let status):
            "This offer is no longer open (\(status.rawValue)); the contact has gone to someone else."
        }
    }
}
