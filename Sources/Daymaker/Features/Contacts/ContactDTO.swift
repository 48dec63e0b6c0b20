import DaymakerCore
import Vapor

/// A contact as the API shows it.
struct WellbeingRequest: Content {
    var flag: Contact.Wellbeing
}

struct ContactDTO: Content, Equatable {
    @LowercaseID var id: UUID
    var program: String
    @LowercaseID var customerId: UUID?
    var channel: Contact.Channel
    var direction: Contact.Direction
    var from: String
    /// False when `from` is a caller id stored as it came, which cannot be called back.
    var fromCallable: Bool
    var to: String
    var status: Contact.Status
    var arrivedAt: Date
    var answeredAt: Date?
    var endedAt: Date?
    @LowercaseID var repId: UUID?
    var reason: String?
    var summary: String?
    var resolution: Contact.Resolution?
    /// What the company could have done differently, as the rep saw it (the program's root causes).
    var rootCauses: [String]
    var externalId: String?
    /// Flagged heated or abusive.
    var wellbeing: Contact.Wellbeing?

    init(_ contact: Contact, programCode: String) throws {
        self.id = try contact.requireID()
        self.program = programCode
        self.customerId = contact.$customer.id
        self.channel = contact.channel
        self.direction = contact.direction
        self.from = contact.fromAddress
        self.fromCallable = contact.fromProblem == nil
        self.to = contact.toAddress
        self.status = contact.status
        self.arrivedAt = contact.arrivedAt
        self.answeredAt = contact.answeredAt
        self.endedAt = contact.endedAt
        self.repId = contact.$rep.id
        self.reason = contact.reason
        self.summary = contact.summary
        self.resolution = contact.resolution
        self.rootCauses = Vocabulary.stored(contact.rootCauses ?? "")
        self.externalId = contact.externalID
        self.wellbeing = contact.wellbeing
    }
}

/// The body of `POST /api/v1/contacts`.
struct ContactCreateRequest: Content {
    var program: String
    var customerId: UUID?
    var channel: Contact.Channel
    var direction: Contact.Direction
    var from: String
    var to: String
    var status: Contact.Status?
    var arrivedAt: Date?
    var answeredAt: Date?
    var endedAt: Date?
    var repId: UUID?
    var reason: String?
    var summary: String?
    var resolution: Contact.Resolution?
    var rootCauses: [String]?
    var externalId: String?
}

/// The body of `PATCH /api/v1/contacts/{contactId}`: the outcome of a contact.
struct ContactUpdateRequest: Content {
    var status: Contact.Status?
    var answeredAt: Date?
    var endedAt: Date?
    var repId: UUID?
    var reason: String?
    var summary: String?
    var resolution: Contact.Resolution?
    /// Replaces the contact's root causes (an empty list clears them).
    var rootCauses: [String]?
}
