import DaymakerCore
import Fluent
import Foundation

extension Booking {
    /// Validated booking fields.
    struct Draft: Sendable {
        var kind: String
        var startsAt: Date
        var pickUp: String?
        var dropOff: String?
        var notes: String
        var status: Status

        static func validate(
            kind: String?, startsAt: Date?, pickUp: String?, dropOff: String?, notes: String?, status: Status?
        ) throws(ValidationFailure) -> Draft {
            var v = FieldValidator()
            let kind = v.text(kind, "kind", maxLength: 40)?.lowercased()
            if startsAt == nil { v.add("startsAt", "is required") }
            let pickUp = v.text(pickUp, "pickUp", required: false, maxLength: 300)
            let dropOff = v.text(dropOff, "dropOff", required: false, maxLength: 300)
            let notes = v.text(notes, "notes", required: false, maxLength: 2000) ?? ""
            try v.finish()
            guard let kind, let startsAt else { throw ValidationFailure(field: "startsAt", "is required") }
            return Draft(
                kind: kind, startsAt: startsAt, pickUp: pickUp, dropOff: dropOff, notes: notes,
                status: status ?? .scheduled)
        }
    }

    /// Whether storing the draft would change nothing.
    func matches(_ draft: Draft) -> Bool {
        kind == draft.kind && startsAt == draft.startsAt && pickUp == draft.pickUp && dropOff == draft.dropOff
            && notes == draft.notes && status == draft.status
    }

    func apply(_ draft: Draft) {
        kind = draft.kind
        startsAt = draft.startsAt
        pickUp = draft.pickUp
        dropOff = draft.dropOff
        notes = draft.notes
        status = draft.status
        if draft.status != .confirmed {
            confirmedAt = nil
            confirmedByID = nil
            confirmedContactID = nil
        }
    }

    /// The booking if the principal may see its program; otherwise a 404 problem.
    static func visible(_ id: UUID, to principal: Principal, on db: any Database) async throws -> Booking {
        guard let booking = try await Booking.find(id, on: db), principal.canSee(program: booking.programID) else {
            throw NotFound("Booking")
        }
        return booking
    }

    /// Confirms the booking for the rep, and notes the confirmation on the contact during which it happened.
    func confirm(by rep: Principal, contactID: UUID?, now: Date, zone: TimeZone, on db: any Database) async throws {
        guard status != .cancelled else { throw BookingError.cancelled }
        var found: Contact?
        if let contactID {
            found = try await Contact.find(contactID, on: db)
            guard found?.$program.id == programID else {
                throw ValidationFailure(field: "contactId", "is not a contact of this booking's program")
            }
        }
        let contact = found
        let bookingID = try requireID()
        let note = "Confirmed \(kind) for \(DisplayTime.format(startsAt, in: zone))."
        try await db.writeTransaction { tx in
            self.status = .confirmed
            self.confirmedAt = now
            self.confirmedByID = rep.userID
            self.confirmedContactID = contactID
            try await self.save(on: tx)
            if let contact {
                contact.summary = [contact.summary, note].compactMap { $0 }.joined(separator: "\n")
                try await contact.save(on: tx)
            }
            try await AuditEntry.record(
                on: tx, at: now, actor: rep.userID, action: "booking.confirmed", recordType: "booking",
                recordID: bookingID, programID: self.programID)
        }
    }
}

extension Booking {
    /// Records a booking the sender describes, its external id unique in the customer's program.
    static func record(
        _ body: BookingCreateRequest, for customer: Customer, on db: any Database
    ) async throws -> Booking {
        let draft = try Draft.validate(
            kind: body.kind, startsAt: body.startsAt, pickUp: body.pickUp, dropOff: body.dropOff, notes: body.notes,
            status: body.status)
        let booking = Booking()
        booking.programID = customer.$program.id
        booking.$customer.id = try customer.requireID()
        booking.apply(draft)
        var v = FieldValidator()
        let externalID = v.text(body.externalId, "externalId", required: false, maxLength: 200)
        try v.finish()
        if let external = externalID {
            if try await Booking.query(on: db).filter(\.$programID == booking.programID).filter(
                \.$externalID == external
            ).count() > 0 {
                throw BookingError.externalIDTaken(external)
            }
            booking.externalID = external
        }
        try await booking.create(on: db)
        return booking
    }
}
