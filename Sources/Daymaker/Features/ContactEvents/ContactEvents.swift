import DaymakerCore
import Fluent
import Foundation
import SQLKit

/// Applies contact events from telephony systems, mail gateways and chat widgets.
///
/// Senders retry and reorder: an event is applied once per `eventId` (a retry gets the first answer again), and
/// the contact's timeline is folded from all its events by their own times, so the order they come in does not
/// matter. Events that come in together are written together (see ``ContactEventWriter`` and ``EventGroup``), but
/// each is checked on its own: in a batch, a bad event never takes the good ones with it.
enum ContactEvents {
    /// The most events one request may carry.
    static let batchLimit = 500

    /// Applies one event of a program the principal sees (looked up in the short-lived `programs` cache); `isNew`
    /// is false when it was applied before (the first answer is returned). What it left waiting is routed, and the
    /// desks are told, once it is committed.
    static func apply(
        _ event: ContactEventRequest, principal: Principal, programs: RecognitionContextCache, now: Date,
        events: Events, on db: any Database
    ) async throws -> (answer: ContactEventAnswer, isNew: Bool) {
        let checked = try Checked(event)
        let program = try await Program.visible(
            code: event.program, to: principal, cache: programs, now: now, on: db)
        return try await apply([.init(checked: checked, event: event, program: program, now: now)], events, db)
    }

    /// Applies one event of a program whose sender is already known (a telephony adapter checked its signature).
    static func apply(
        _ event: ContactEventRequest, program: Program, now: Date, events: Events, on db: any Database
    ) async throws -> (answer: ContactEventAnswer, isNew: Bool) {
        try await apply([.init(checked: try Checked(event), event: event, program: program, now: now)], events, db)
    }

    private static func apply(
        _ items: [EventGroup.Item], _ events: Events, _ db: any Database
    ) async throws -> (answer: ContactEventAnswer, isNew: Bool) {
        try await events.contactEvents.apply(items, events: events, on: db)[0].get()
    }

    /// The fields checked before anything is read.
    struct Checked: Sendable {
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

    /// Stores an event Daymaker itself observes (a rep accepting a chat answers it) and folds the contact's
    /// timeline again, inside the caller's write transaction.
    static func record(
        _ type: ContactTimeline.EventType, at: Date, repID: UUID?, eventID: String, contact: Contact, now: Date,
        on db: any Database
    ) async throws {
        let contactID = try contact.requireID()
        let record = ContactEventRecord()
        record.$program.id = contact.$program.id
        record.eventID = eventID
        record.$contact.id = contactID
        record.type = type
        record.at = at
        record.repID = repID
        let answer = ContactEventAnswer(
            eventId: eventID, result: .accepted, contactId: contactID, customerId: contact.$customer.id)
        record.answer = String(decoding: try JSONEncoder.daymaker.encode(answer), as: UTF8.self)
        record.receivedAt = now
        try await record.create(on: db)
        let events = try await ContactEventRecord.query(on: db).filter(\.$contact.$id == contactID).all()
        let timeline = try timeline(of: events.map(\.timelineEvent), arrivedAt: contact.arrivedAt)
        // Only what changed is set (Fluent saves whatever was set).
        if contact.status != timeline.status { contact.status = timeline.status }
        if contact.answeredAt != timeline.answeredAt { contact.answeredAt = timeline.answeredAt }
        if contact.endedAt != timeline.endedAt { contact.endedAt = timeline.endedAt }
        if let rep = timeline.repID, contact.$rep.id != rep { contact.$rep.id = rep }
        if contact.hasChanges { try await contact.save(on: db) }
    }

    /// A contact's timeline folded from all its events (see ``ContactTimeline``); an event before the contact
    /// arrived, or one that leaves it answered or ended out of order, is refused naming `at`.
    static func timeline(
        of events: [ContactTimeline.Event], arrivedAt: Date
    ) throws(ValidationFailure) -> ContactTimeline {
        if let early = events.first(where: { $0.at.isBefore(arrivedAt) }) {
            throw ValidationFailure(
                field: "at",
                "is before the contact arrived (\(early.type.rawValue) at \(early.at), arrived at \(arrivedAt))")
        }
        let timeline = ContactTimeline(events: events)
        do {
            try Contact.checkTimeline(arrived: arrivedAt, answered: timeline.answeredAt, ended: timeline.endedAt)
        } catch {
            throw ValidationFailure(field: "at", "does not fit the contact's timeline: \(error.description)")
        }
        return timeline
    }

    /// The address a contact came from. A caller id as a carrier writes it is never dropped: one no phone-number
    /// rule accepts is kept as it came, with why it cannot be called back.
    static func from(
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
}
