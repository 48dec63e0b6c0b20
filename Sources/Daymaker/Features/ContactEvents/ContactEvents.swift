import DaymakerCore
import Fluent
import Foundation
import SQLKit

/// Applies contact events from telephony systems, mail gateways and chat widgets.
///
/// Senders retry and reorder: an event is applied once per `eventId` (a retry gets the first answer again), and
/// the contact's timeline is folded from all its events by their own times, so the order they come in does not
/// matter. Each event is its own transaction: in a batch, a bad event never takes the good ones with it.
enum ContactEvents {
    /// The most events one request may carry.
    static let batchLimit = 500

    /// Applies one event of a program the principal sees; `isNew` is false when it was applied before (the first
    /// answer is returned). A rep the event made busy or put in wrap-up is announced to the desks once it is
    /// committed.
    static func apply(
        _ event: ContactEventRequest, principal: Principal, now: Date, events: Events, on db: any Database
    ) async throws -> (answer: ContactEventAnswer, isNew: Bool, program: Program) {
        let checked = try Checked(event)
        let program = try await Program.visible(code: event.program, to: principal, on: db)
        let (answer, isNew) = try await apply(checked, event, program: program, now: now, events: events, on: db)
        return (answer, isNew, program)
    }

    /// Applies one event of a program whose sender is already known (a telephony adapter checked its signature).
    static func apply(
        _ event: ContactEventRequest, program: Program, now: Date, events: Events, on db: any Database
    ) async throws -> (answer: ContactEventAnswer, isNew: Bool) {
        try await apply(try Checked(event), event, program: program, now: now, events: events, on: db)
    }

    private static func apply(
        _ checked: Checked, _ event: ContactEventRequest, program: Program, now: Date, events: Events,
        on db: any Database
    ) async throws -> (answer: ContactEventAnswer, isNew: Bool) {
        if let first = try await firstAnswer(to: checked.eventID, programID: try program.requireID(), on: db) {
            return (first, false)
        }
        // Two deliveries of the same event, or two first events of one contact, can race: the loser's insert
        // breaks a unique index, and a second look finds what the winner stored.
        var attempt = 0
        while true {
            attempt += 1
            do {
                let retry = attempt > 1
                let (answer, isNew, rep) = try await db.writeTransaction { db in
                    try await applyOnce(checked, event, program: program, retry: retry, now: now, on: db)
                }
                if let rep { await events.publish(.presenceChanged(rep), on: db) }
                if isNew { await events.publish(.queueChanged(try program.requireID()), on: db) }
                return (answer, isNew)
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 3 {
                continue
            }
        }
    }

    /// The fields checked before anything is read.
    private struct Checked: Sendable {
        let eventID: String
        let externalID: String
        let requestedRep: String?
        let customerNumber: String?
        let reason: String?
        let language: String?

        init(_ event: ContactEventRequest) throws(ValidationFailure) {
            var v = FieldValidator()
            let eventID = v.text(event.eventId, "eventId", maxLength: 200)
            let externalID = v.text(event.externalContactId, "externalContactId", maxLength: 200)
            requestedRep = v.text(event.requestedRep, "requestedRep", required: false, maxLength: 200)
            customerNumber = v.text(event.customerNumber, "customerNumber", required: false, maxLength: 40)
            reason = v.text(event.reason, "reason", required: false, maxLength: 200)
            language = event.language?.lowercased()
            if let language, !UserSkills.isLanguageCode(language) {
                v.add("language", "'\(language)' is not an ISO 639 language code such as en or es")
            }
            try v.finish()
            self.eventID = eventID!
            self.externalID = externalID!
        }
    }

    private static func firstAnswer(
        to eventID: String, programID: UUID, on db: any Database
    ) async throws -> ContactEventAnswer? {
        guard
            let record = try await ContactEventRecord.query(on: db).filter(\.$program.$id == programID)
                .filter(\.$eventID == eventID).first()
        else { return nil }
        return try JSONDecoder.daymaker.decode(ContactEventAnswer.self, from: Data(record.answer.utf8))
    }

    /// One attempt in a write transaction. The first attempt relies on the unique index over event ids (a
    /// duplicate that raced in breaks it); a retry looks for what the winner stored.
    private static func applyOnce(
        _ checked: Checked, _ event: ContactEventRequest, program: Program, retry: Bool, now: Date,
        on db: any Database
    ) async throws -> (answer: ContactEventAnswer, isNew: Bool, presenceChanged: UUID?) {
        let programID = try program.requireID()
        if retry, let first = try await firstAnswer(to: checked.eventID, programID: programID, on: db) {
            return (first, false, nil)
        }
        var candidates: [UUID]? = nil
        let contact: Contact
        var arrived = false
        if let existing = try await lockedContact(externalID: checked.externalID, programID: programID, on: db) {
            contact = existing
            try await learn(checked, contact: contact, programID: programID, on: db)
        } else {
            guard event.type == .arrived else {
                throw ValidationFailure(
                    field: "externalContactId",
                    "no contact with this id has arrived in program \(program.code); send its arrived event first")
            }
            (contact, candidates) = try await arrive(checked, event, program: program, on: db)
            arrived = true
        }
        try await Contact.checkRep(event.repId, programID: programID, on: db)
        let answer = ContactEventAnswer(
            eventId: checked.eventID, result: .accepted, contactId: try contact.requireID(),
            customerId: contact.$customer.id, candidates: candidates)
        try await record(
            event.type, at: event.at, repID: event.repId, eventID: checked.eventID, contact: contact, answer: answer,
            first: arrived, now: now, on: db)
        let rep = try await Offers.follow(event.type, repID: event.repId, contact: contact, now: now, on: db)
        return (answer, true, rep)
    }

    /// Stores one event of a contact and folds its timeline again; also for what Daymaker itself observes (a rep
    /// accepting a chat answers it). The `first` event of a contact just created is its whole timeline.
    static func record(
        _ type: ContactTimeline.EventType, at: Date, repID: UUID?, eventID: String, contact: Contact,
        answer: ContactEventAnswer? = nil, first: Bool = false, now: Date, on db: any Database
    ) async throws {
        let record = ContactEventRecord()
        record.$program.id = contact.$program.id
        record.eventID = eventID
        record.$contact.id = try contact.requireID()
        record.type = type
        record.at = at
        record.repID = repID
        let contactID = try contact.requireID()
        let answer =
            answer
            ?? ContactEventAnswer(
                eventId: eventID, result: .accepted, contactId: contactID, customerId: contact.$customer.id,
                candidates: nil)
        record.answer = String(decoding: try JSONEncoder.daymaker.encode(answer), as: UTF8.self)
        record.receivedAt = now
        try await record.create(on: db)
        try await refold(contact, events: first ? [record] : nil, on: db)
    }

    /// The contact the sender's id names, locked until the transaction ends on PostgreSQL (SQLite's write
    /// transaction already holds the whole file), so two events of one contact fold one after the other.
    private static func lockedContact(externalID: String, programID: UUID, on db: any Database) async throws -> Contact?
    {
        let sql = try db.sqlDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                "SELECT id FROM contacts WHERE program_id = \(bind: programID) AND external_id = \(bind: externalID) FOR UPDATE"
            ).run()
        }
        return try await Contact.query(on: db).filter(\.$program.$id == programID).filter(\.$externalID == externalID)
            .first()
    }

    /// What an IVR learned after the call arrived (the customer number keyed, the rep asked for) goes on the
    /// contact when it has none yet; a keyed number links the caller when it names exactly one customer.
    private static func learn(_ checked: Checked, contact: Contact, programID: UUID, on db: any Database) async throws {
        if contact.requestedRep == nil, let rep = checked.requestedRep { contact.requestedRep = rep }
        if contact.language == nil, let language = checked.language { contact.language = language }
        guard contact.$customer.id == nil, let number = checked.customerNumber else { return }
        let ids = try await customers(numbered: number, programID: programID, on: db)
        if ids.count == 1 { contact.$customer.id = ids[0] }
    }

    /// A new contact from its `arrived` event, linked to the customer its identifier names when exactly one does.
    private static func arrive(
        _ checked: Checked, _ event: ContactEventRequest, program: Program, on db: any Database
    ) async throws -> (Contact, candidates: [UUID]?) {
        let programID = try program.requireID()
        let contact = Contact()
        contact.$program.id = programID
        contact.channel = event.channel
        contact.direction = .inbound
        (contact.fromAddress, contact.fromProblem) = try Self.from(
            event.from, channel: event.channel, country: program.country)
        contact.toAddress = try Contact.normalizedAddress(
            event.to, channel: event.channel, country: program.country, field: "to")
        contact.status = .queued
        contact.arrivedAt = event.at
        contact.externalID = checked.externalID
        contact.requestedRep = checked.requestedRep
        contact.language = checked.language
        contact.reason = checked.reason
        let matches = try await customers(
            calling: contact, customerNumber: checked.customerNumber, programID: programID, on: db)
        if matches.count == 1 { contact.$customer.id = matches[0] }
        try await contact.create(on: db)
        return (contact, matches.count > 1 ? matches.sorted { $0.uuidString < $1.uuidString } : nil)
    }

    /// The address a contact came from. A caller id as a carrier writes it is never dropped: one no phone-number
    /// rule accepts is kept as it came, with why it cannot be called back.
    private static func from(
        _ raw: String, channel: Contact.Channel, country: String
    ) throws(ValidationFailure) -> (String, problem: String?) {
        do {
            return (try Contact.normalizedAddress(raw, channel: channel, country: country, field: "from"), nil)
        } catch {
            guard channel == .voice || channel == .sms, let dialled = dialled(raw) else { throw error }
            return (dialled, error.errors.first?.detail ?? "is not a phone number")
        }
    }

    /// A caller id kept as it came: printable, 1 to 40 characters.
    private static func dialled(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...40).contains(trimmed.count),
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return trimmed
    }

    /// Who the caller is: the customer number keyed in the IVR when it names someone, else the address they came
    /// from. Several ids mean a shared identifier (a household): the desk chooses, nobody is linked by guessing.
    private static func customers(
        calling contact: Contact, customerNumber: String?, programID: UUID, on db: any Database
    ) async throws -> [UUID] {
        if let number = customerNumber {
            let ids = try await customers(numbered: number, programID: programID, on: db)
            if !ids.isEmpty { return ids }
        }
        let address = contact.fromAddress
        let ids: [UUID]
        switch contact.channel {
        case .voice, .sms:
            guard address != "withheld", contact.fromProblem == nil else { return [] }
            ids = try await CustomerPhone.query(on: db).filter(\.$programID == programID).filter(\.$e164 == address)
                .all(\.$customer.$id)
        case .email:
            ids = try await CustomerEmail.query(on: db).filter(\.$programID == programID)
                .filter(\.$address == address).all(\.$customer.$id)
        case .chat, .social:
            ids = try await CustomerHandle.query(on: db).filter(\.$programID == programID)
                .filter(\.$handle == address).all(\.$customer.$id)
        }
        return Array(Set(ids))
    }

    /// The customers a keyed customer number names (as keyed, or in capitals).
    private static func customers(numbered number: String, programID: UUID, on db: any Database) async throws -> [UUID]
    {
        try await Customer.query(on: db).filter(\.$program.$id == programID)
            .filter(\.$customerNumber ~~ Array(Set([number, number.uppercased()]))).all(\.$id)
    }

    /// Folds the contact's timeline again from all its events (see ``ContactTimeline``), read unless given.
    private static func refold(
        _ contact: Contact, events known: [ContactEventRecord]?, on db: any Database
    ) async throws {
        var events = known ?? []
        if known == nil {
            events = try await ContactEventRecord.query(on: db).filter(\.$contact.$id == contact.requireID()).all()
        }
        let timeline = ContactTimeline(events: events.map(\.timelineEvent))
        if let early = events.first(where: { $0.at.isBefore(contact.arrivedAt) }) {
            throw ValidationFailure(
                field: "at",
                "is before the contact arrived (\(early.type.rawValue) at \(early.at), arrived at \(contact.arrivedAt))"
            )
        }
        do {
            try Contact.checkTimeline(
                arrived: contact.arrivedAt, answered: timeline.answeredAt, ended: timeline.endedAt)
        } catch {
            throw ValidationFailure(field: "at", "does not fit the contact's timeline: \(error.description)")
        }
        // Only what changed is set, so a fold that changes nothing (a new contact's first event) writes nothing.
        if contact.status != timeline.status { contact.status = timeline.status }
        if contact.answeredAt != timeline.answeredAt { contact.answeredAt = timeline.answeredAt }
        if contact.endedAt != timeline.endedAt { contact.endedAt = timeline.endedAt }
        if let rep = timeline.repID, contact.$rep.id != rep { contact.$rep.id = rep }
        if contact.hasChanges { try await contact.save(on: db) }
    }
}
