import DaymakerCore
import Foundation

extension RecognitionCard {
    /// The card for one person from what was read about them: no queries, only the policy and the mapping to the
    /// card's fields.
    init(
        _ person: Candidate, in program: Program, policy: RecognitionPolicy, repNames names: [UUID: String],
        bookings: [Booking], careNotes: [CareNoteSummary], greetedBy rep: String, now: Date
    ) {
        let contacts = person.contacts
        let history = contacts.map {
            RecognitionPolicy.Past(
                arrivedAt: $0.arrivedAt, inbound: $0.direction == Contact.Direction.inbound.rawValue, repID: $0.repID,
                handled: $0.status != Contact.Status.abandoned.rawValue && $0.status != Contact.Status.failed.rawValue)
        }
        func named(_ id: UUID?) -> Rep? { id.flatMap { id in names[id].map { Rep(id: id, displayName: $0) } } }
        let assessment = policy.assess(history, now: now)
        let bond = policy.bond(history)
        let name = person.preferredName ?? person.fullName.split(separator: " ").first.map(String.init)
        self.init(
            customer: .init(
                id: person.id, customerNumber: person.customerNumber, name: person.fullName,
                preferredName: person.preferredName, program: program.code),
            regular: assessment.regular, usualGapDays: assessment.usualGapDays,
            daysSinceLastContact: assessment.daysSinceLastContact, missedYou: assessment.missedYou,
            greeting: policy.greeting(name: name, assessment: assessment, rep: rep, program: program.name),
            lastContacts: contacts.prefix(Self.lastContactsShown).map {
                PastContact($0, rep: $0.repID.flatMap { names[$0] })
            },
            bond: Bond(
                mostHelpedBy: named(bond.mostHelpedBy), contactsWithMostHelped: bond.contactsWithMostHelped,
                lastHelpedBy: named(bond.lastHelpedBy), preferredRep: named(person.preferredRepID)),
            openMatters: contacts.lazy.compactMap(OpenMatter.init).prefix(Self.openMattersShown).map { $0 },
            upcomingBookings: bookings.compactMap(BookingSummary.init),
            careNotes: careNotes)
    }
}

extension RecognitionCard.PastContact {
    init(_ contact: RecognitionCard.Recent, rep: String?) {
        self.init(
            id: contact.id, at: contact.arrivedAt, channel: Contact.Channel(rawValue: contact.channel) ?? .voice,
            direction: Contact.Direction(rawValue: contact.direction) ?? .inbound,
            status: Contact.Status(rawValue: contact.status) ?? .ended, reason: contact.reason,
            summary: contact.summary,
            resolution: contact.resolution.flatMap(Contact.Resolution.init(rawValue:)), rep: rep)
    }
}

extension RecognitionCard.OpenMatter {
    /// A contact left unresolved or for follow-up is an open matter; others are not.
    init?(_ contact: RecognitionCard.Recent) {
        guard let resolution = contact.resolution.flatMap(Contact.Resolution.init(rawValue:)),
            resolution == .unresolved || resolution == .followUp
        else { return nil }
        self.init(
            kind: "contact", contactId: contact.id, at: contact.arrivedAt, reason: contact.reason,
            summary: contact.summary, resolution: resolution)
    }
}

extension RecognitionCard.BookingSummary {
    init?(_ booking: Booking) {
        guard let id = booking.id else { return nil }
        self.init(
            id: id, kind: booking.kind, startsAt: booking.startsAt, pickUp: booking.pickUp, dropOff: booking.dropOff,
            notes: booking.notes, status: booking.status)
    }
}
