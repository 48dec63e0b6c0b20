import DaymakerCore
import Vapor

/// A booking as the API shows it.
struct BookingDTO: Content, Equatable {
    @LowercaseID var id: UUID
    var program: String
    @LowercaseID var customerId: UUID
    var kind: String
    var startsAt: Date
    var pickUp: String?
    var dropOff: String?
    var notes: String
    var status: Booking.Status
    var externalId: String?
    var confirmedAt: Date?
    @LowercaseID var confirmedById: UUID?
    @LowercaseID var confirmedContactId: UUID?

    init(_ booking: Booking, programCode: String) throws {
        id = try booking.requireID()
        program = programCode
        customerId = booking.$customer.id
        kind = booking.kind
        startsAt = booking.startsAt
        pickUp = booking.pickUp
        dropOff = booking.dropOff
        notes = booking.notes
        status = booking.status
        externalId = booking.externalID
        confirmedAt = booking.confirmedAt
        confirmedById = booking.confirmedByID
        confirmedContactId = booking.confirmedContactID
    }
}

struct BookingCreateRequest: Content {
    var customerId: UUID
    var kind: String
    var startsAt: Date
    var pickUp: String?
    var dropOff: String?
    var notes: String?
    var status: Booking.Status?
    var externalId: String?
}

struct BookingUpdateRequest: Content {
    var kind: String?
    var startsAt: Date?
    var pickUp: String?
    var dropOff: String?
    var notes: String?
    var status: Booking.Status?
}

struct BookingConfirmRequest: Content {
    /// The contact during which the rep confirmed it; the confirmation is noted on that contact too.
    var contactId: UUID?
}

/// The answer to a CSV import: what was stored and every row that was not, with its line.
struct ImportReport: Content, Equatable {
    struct Rejected: Content, Equatable {
        var line: Int
        var errors: [FieldError]
    }

    var created: Int
    var updated: Int
    /// Rows that matched a stored booking exactly (a re-run import).
    var unchanged: Int
    var rejected: [Rejected]
}
