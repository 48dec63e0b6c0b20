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
            let previous = contact.$rep.id
            contact.$rep.id = principal.userID
            contact.routingNote = nil
            try await contact.save(on: db)
            if offer.reason == .transfer {
                // The contact is now this rep's; the one who handed it over goes to wrap-up.
                try await ContactEvents.record(
                    .transferred, at: now, repID: principal.userID,
                    eventID: "offer-\(offerID.lowercaseText)-transferred",
                    contact: contact, now: now, on: db)
                _ = try await follow(.transferred, repID: previous, contact: contact, now: now, on: db)
            } else if contact.channel != .voice {
                try await ContactEvents.record(
                    .answered, at: now, repID: principal.userID, eventID: "offer-\(offerID.lowercaseText)-accepted",
                    contact: contact, now: now, on: db)
            }
            try await RepPresence.set(.busy, userID: principal.userID, by: nil, until: nil, now: now, on: db)
            return offer
        }
    }

    /// A warm transfer: the rep who has the contact offers it to another rep of the program, with a note for them.
    /// It stays theirs until that rep accepts (recorded as transferred); declined or not taken in time, it stays.
    /// The other rep must be at work (available, busy or in wrap-up) and hold no other offer.
    static func transfer(
        _ contactID: UUID, to repID: UUID, note: String?, by principal: Principal, now: Date, on db: any Database
    ) async throws -> Offer {
        var v = FieldValidator()
        let note = v.text(note, "note", required: false, maxLength: 1000)
        try v.finish()
        return try await db.writeTransaction { db in
            guard let contact = try await Contact.find(contactID, on: db), contact.$rep.id == principal.userID,
                contact.status == .connected
            else { throw NotFound("Contact") }
            guard repID != principal.userID else {
                throw ValidationFailure(field: "repId", "is you; choose the rep to hand the contact to")
            }
            let programID = contact.$program.id
            try await ProgramMembership.requireActiveMember(repID, of: programID, field: "repId", on: db)
            let presence = try await PresenceRecord.query(on: db).filter(\.$user.$id == repID).first()?.state
            guard let presence, presence != .away, presence != .offline else {
                throw RoutingError.notAtWork(presence ?? .offline)
            }
            guard try await Offer.query(on: db).filter(\.$rep.$id == repID).filter(\.$status == .open).count() == 0
            else { throw RoutingError.holdsAnOffer }
            let settings = try await RoutingSettings.load(programID: programID, on: db)
            let offer = Offer()
            offer.programID = programID
            offer.$contact.id = contactID
            offer.$rep.id = repID
            offer.reason = .transfer
            offer.transferredByID = principal.userID
            offer.note = note
            offer.status = .open
            offer.offeredAt = now
            offer.expiresAt = now.addingTimeInterval(settings.offerTimeout)
            try await offer.create(on: db)
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
        try await db.lockRow(in: Offer.schema, id: id)
        guard let offer = try await Offer.find(id, on: db), offer.$rep.id == principal.userID else {
            throw NotFound("Offer")
        }
        guard offer.status == .open, offer.expiresAt > now else {
            throw RoutingError.offerClosed(offer.status == .open ? .expired : offer.status)
        }
        return offer
    }

    /// After an event changed a contact: a contact that is over withdraws its open offer, and its rep follows the
    /// event (see `followRep`). Returns the rep whose presence changed.
    static func follow(
        _ type: ContactTimeline.EventType, repID: UUID?, contact: Contact, now: Date, on db: any Database
    ) async throws -> UUID? {
        if contact.status.isOver { try await withdraw(contacts: [contact.requireID()], now: now, on: db.sqlDatabase) }
        return try await followRep(
            type, repID: repID ?? contact.$rep.id, programID: contact.$program.id, now: now, on: db)
    }

    /// Closes the open offers of contacts that are over.
    static func withdraw(contacts: [UUID], now: Date, on sql: any SQLDatabase) async throws {
        guard !contacts.isEmpty else { return }
        // `status = 'open'` written as the partial index `idx_offers_open_contact_id` is.
        try await sql.update(Offer.schema).set("status", to: Offer.Status.withdrawn.rawValue)
            .set("decided_at", to: now).where(SQLRaw("status = 'open'")).where("contact_id", .in, contacts).run()
    }

    /// A rep is busy while on a contact and in wrap-up for the program's wrap-up time after it ends or is
    /// transferred away. Returns the rep when their presence changed.
    static func followRep(
        _ type: ContactTimeline.EventType, repID: UUID?, programID: UUID, now: Date, on db: any Database
    ) async throws -> UUID? {
        guard let rep = repID, [.answered, .ended, .transferred].contains(type) else { return nil }
        let current = try await PresenceRecord.query(on: db).filter(\.$user.$id == rep).first()?.state
        let wrapUp =
            type != .answered && current == .busy
            ? try await RoutingSettings.load(programID: programID, on: db).wrapUp : 0
        guard let next = presence(after: type, from: current, wrapUp: wrapUp, now: now) else { return nil }
        try await RepPresence.set(next.state, userID: rep, by: nil, until: next.until, now: now, on: db)
        return rep
    }

    /// Where a contact's event takes its rep, who is `current` now: busy when the contact is answered; in wrap-up
    /// for `wrapUp` when the contact they were busy on ends or is transferred away; nowhere (nil) otherwise.
    static func presence(
        after type: ContactTimeline.EventType, from current: Presence?, wrapUp: TimeInterval, now: Date
    ) -> (state: Presence, until: Date?)? {
        switch type {
        case .answered: (.busy, nil)
        case .ended, .transferred: current == .busy ? (.wrapUp, now.addingTimeInterval(wrapUp)) : nil
        default: nil
        }
    }
}

enum RoutingError: DomainError, Equatable {
    case offerClosed(Offer.Status)
    /// A transfer to a rep who is away or offline.
    case notAtWork(Presence)
    /// A transfer to a rep who is being offered another contact.
    case holdsAnOffer

    var kind: DomainErrorKind { .conflict }

    var description: String {
        switch self {
        case .offerClosed(let status):
            "This offer is no longer open (\(status.rawValue)); the contact has gone to someone else."
        case .notAtWork(let presence):
            "That rep is \(presence.rawValue); leave them a message or book their callback instead."
        case .holdsAnOffer: "That rep is being offered another contact; try again in a moment."
        }
    }
}
