import DaymakerCore
import Foundation
import Vapor

/// One event in the body of `POST /api/v1/events` (the body is one of these or an array of up to 500).
struct ContactEventRequest: Codable {
    /// The sender's id for this event; a retry carries the same one.
    var eventId: String
    var type: ContactTimeline.EventType
    var program: String
    /// The sender's id for the contact, the same on all its events.
    var externalContactId: String
    var channel: Contact.Channel
    var from: String
    var to: String
    var at: Date
    /// The rep the customer asked for: a name as they said it, or a user id.
    var requestedRep: String?
    /// The customer number keyed in the IVR.
    var customerNumber: String?
    /// The rep the event is about (who answered, who it was offered or transferred to).
    var repId: UUID?
    var reason: String?
    /// The language the customer needs (ISO 639: `en`, `es`), chosen in the IVR or the chat widget.
    var language: String? = nil
}

/// What became of one event.
struct ContactEventAnswer: Content, Equatable {
    enum Result: String, Codable { case accepted, duplicate, rejected }

    var eventId: String?
    var result: Result
    @LowercaseID var contactId: UUID?
    /// The customer the contact was linked to on arrival.
    @LowercaseID var customerId: UUID?
    /// Several customers share the caller's identifier (a household): nobody is linked, the desk chooses.
    var candidates: [String]?
    /// Why a rejected event was refused.
    var problem: Problem?

    init(
        eventId: String?, result: Result, contactId: UUID? = nil, customerId: UUID? = nil,
        candidates: [UUID]? = nil, problem: Problem? = nil
    ) {
        self.eventId = eventId
        self.result = result
        self.contactId = contactId
        self.customerId = customerId
        self.candidates = candidates?.map(\.lowercaseText)
        self.problem = problem
    }

    /// The answer a retry gets in a batch: the first answer, marked as a duplicate.
    var asDuplicate: ContactEventAnswer {
        var copy = self
        copy.result = .duplicate
        return copy
    }
}

/// The answer to a batch: one entry per event, in the order they were sent.
struct ContactEventBatchAnswer: Content {
    var results: [ContactEventAnswer]
}
