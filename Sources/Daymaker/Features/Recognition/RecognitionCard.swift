import Vapor

/// What a rep sees the moment a contact is offered: who this is and what would make their day.
struct RecognitionCard: Content, Equatable {
    struct Person: Content, Equatable {
        var id: UUID
        var customerNumber: String
        var name: String
        var preferredName: String?
        var program: String
    }

    struct PastContact: Content, Equatable {
        var id: UUID
        var at: Date
        var channel: Contact.Channel
        var direction: Contact.Direction
        var status: Contact.Status
        var reason: String?
        var summary: String?
        var resolution: Contact.Resolution?
        var rep: String?
    }

    struct Rep: Content, Equatable {
        var id: UUID
        var displayName: String
    }

    struct Bond: Content, Equatable {
        var mostHelpedBy: Rep?
        var contactsWithMostHelped: Int
        var lastHelpedBy: Rep?
        var preferredRep: Rep?
    }

    struct OpenMatter: Content, Equatable {
        var kind: String
        var contactId: UUID
        var at: Date
        var reason: String?
        var summary: String?
        var resolution: Contact.Resolution?
    }

    struct BookingSummary: Content, Equatable {
        var id: UUID
        var kind: String
        var startsAt: Date
        var pickUp: String?
        var dropOff: String?
        var notes: String
        var status: Booking.Status
    }

    struct CareNoteSummary: Content, Equatable {
        var id: UUID
        var kind: CareNote.Kind
        var text: String
        var guidance: String
        var author: String?
        var createdAt: Date?
        var reviewOn: String?
    }

    var customer: Person
    var regular: Bool
    var usualGapDays: Double?
    var daysSinceLastContact: Int?
    var missedYou: Bool
    var greeting: String
    var lastContacts: [PastContact]
    var bond: Bond
    var openMatters: [OpenMatter]
    var upcomingBookings: [BookingSummary]
    var careNotes: [CareNoteSummary]
}

/// The answer of `GET /api/v1/recognition`.
struct RecognitionResponse: Content, Equatable {
    struct Identifier: Content, Equatable {
        /// phone, customerNumber, email or handle.
        var kind: String
        /// The identifier as Daymaker stores it (E.164, lower-case email, …); nil when withheld.
        var value: String?
        var withheld: Bool
    }

    var identifier: Identifier
    /// Everyone the identifier belongs to, most recently active first. Several for a household.
    var matches: [RecognitionCard]
    /// The opening line for a caller nobody knows (present when there are no matches).
    var newCallerGreeting: String?
}
