import Vapor

/// What a rep sees the moment a contact is offered: who this is and what would make their day.
struct RecognitionCard: Content, Equatable {
    struct Person: Content, Equatable {
        @LowercaseID var id: UUID
        var customerNumber: String
        var name: String
        var preferredName: String?
        var program: String
    }

    struct PastContact: Content, Equatable {
        @LowercaseID var id: UUID
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
        @LowercaseID var id: UUID
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
        @LowercaseID var contactId: UUID
        var at: Date
        var reason: String?
        var summary: String?
        var resolution: Contact.Resolution?
    }

    struct BookingSummary: Content, Equatable {
        @LowercaseID var id: UUID
        var kind: String
        var startsAt: Date
        var pickUp: String?
        var dropOff: String?
        var notes: String
        var status: Booking.Status
    }

    struct CareNoteSummary: Content, Equatable {
        @LowercaseID var id: UUID
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

// The card is written by hand (see `JSONWriter`); `RecognitionJSONTests` holds it to the `Codable` form.

extension RecognitionResponse: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("identifier", identifier)
            w.field("matches", matches)
            w.field("newCallerGreeting", newCallerGreeting)
        }
    }
}

extension RecognitionResponse.Identifier: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("kind", kind)
            w.field("value", value)
            w.field("withheld", withheld)
        }
    }
}

extension RecognitionCard: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("customer", customer)
            w.field("regular", regular)
            w.field("usualGapDays", usualGapDays)
            w.field("daysSinceLastContact", daysSinceLastContact)
            w.field("missedYou", missedYou)
            w.field("greeting", greeting)
            w.field("lastContacts", lastContacts)
            w.field("bond", bond)
            w.field("openMatters", openMatters)
            w.field("upcomingBookings", upcomingBookings)
            w.field("careNotes", careNotes)
        }
    }
}

extension RecognitionCard.Person: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("id", id)
            w.field("customerNumber", customerNumber)
            w.field("name", name)
            w.field("preferredName", preferredName)
            w.field("program", program)
        }
    }
}

extension RecognitionCard.PastContact: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("id", id)
            w.field("at", at)
            w.field("channel", channel)
            w.field("direction", direction)
            w.field("status", status)
            w.field("reason", reason)
            w.field("summary", summary)
            w.field("resolution", resolution)
            w.field("rep", rep)
        }
    }
}

extension RecognitionCard.Rep: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("id", id)
            w.field("displayName", displayName)
        }
    }
}

extension RecognitionCard.Bond: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("mostHelpedBy", mostHelpedBy)
            w.field("contactsWithMostHelped", contactsWithMostHelped)
            w.field("lastHelpedBy", lastHelpedBy)
            w.field("preferredRep", preferredRep)
        }
    }
}

extension RecognitionCard.OpenMatter: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("kind", kind)
            w.field("contactId", contactId)
            w.field("at", at)
            w.field("reason", reason)
            w.field("summary", summary)
            w.field("resolution", resolution)
        }
    }
}

extension RecognitionCard.BookingSummary: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("id", id)
            w.field("kind", kind)
            w.field("startsAt", startsAt)
            w.field("pickUp", pickUp)
            w.field("dropOff", dropOff)
            w.field("notes", notes)
            w.field("status", status)
        }
    }
}

extension RecognitionCard.CareNoteSummary: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.object { w in
            w.field("id", id)
            w.field("kind", kind)
            w.field("text", text)
            w.field("guidance", guidance)
            w.field("author", author)
            w.field("createdAt", createdAt)
            w.field("reviewOn", reviewOn)
        }
    }
}
