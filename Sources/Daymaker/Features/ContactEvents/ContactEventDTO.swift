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

    enum CodingKeys: String, CodingKey {
        case eventId, type, program, externalContactId, channel, from, to, at, requestedRep, customerNumber, repId
        case reason, language
    }
}

extension ContactEventRequest {
    /// Read strictly, as `Request.decodeStrict` reads any body, but in one pass: events come by the thousand.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            eventId: try c.decode(String.self, forKey: .eventId),
            type: try c.decode(ContactTimeline.EventType.self, forKey: .type),
            program: try c.decode(String.self, forKey: .program),
            externalContactId: try c.decode(String.self, forKey: .externalContactId),
            channel: try c.decode(Contact.Channel.self, forKey: .channel),
            from: try c.decode(String.self, forKey: .from), to: try c.decode(String.self, forKey: .to),
            at: try c.decode(Date.self, forKey: .at),
            requestedRep: try c.decodeIfPresent(String.self, forKey: .requestedRep),
            customerNumber: try c.decodeIfPresent(String.self, forKey: .customerNumber),
            repId: try c.decodeIfPresent(UUID.self, forKey: .repId),
            reason: try c.decodeIfPresent(String.self, forKey: .reason),
            language: try c.decodeIfPresent(String.self, forKey: .language))
        try decoder.refuseUnknownKeysAndNul(
            CodingKeys.self,
            strings: [
                (.eventId, eventId), (.program, program), (.externalContactId, externalContactId), (.from, from),
                (.to, to), (.requestedRep, requestedRep), (.customerNumber, customerNumber), (.reason, reason),
                (.language, language),
            ])
    }
}

/// One element of a batch, read on its own: one that cannot be read is rejected alone (with its `eventId` when it
/// has one), its problem named as if it had been sent alone.
struct ContactEventBatchElement: Decodable {
    let event: Result<ContactEventRequest, any Error>
    let eventId: String?

    init(from decoder: any Decoder) throws {
        eventId = try? decoder.container(keyedBy: AnyJSONKey.self).decode(String.self, forKey: AnyJSONKey("eventId"))
        do {
            event = .success(try ContactEventRequest(from: decoder))
        } catch let error as DecodingError {
            event = .failure(error.droppingPath(decoder.codingPath.count))
        } catch {
            event = .failure(error)
        }
    }
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
