import Foundation

/// The recognition card as pages show it: words and local times instead of numbers and instants.
struct CardView: Encodable {
    struct BookingLine: Encodable {
        let id: UUID
        let kind: String
        let when: String
        let pickUp: String?
        let dropOff: String?
        let notes: String
        let confirmed: Bool
    }

    struct Note: Encodable {
        let id: UUID
        let kind: String
        let text: String
        let guidance: String
        let byline: String
    }

    let customerID: UUID
    let name: String
    let preferredName: String?
    let customerNumber: String
    let program: String
    let greeting: String
    let regular: Bool
    let missedYou: Bool
    let rhythm: String
    let mostHelped: String?
    let lastHelped: String?
    let preferredRep: String?
    let openMatters: [ContactLine]
    let bookings: [BookingLine]
    let careNotes: [Note]
    let lastContacts: [ContactLine]

    init(_ card: RecognitionCard, zone: TimeZone) {
        func when(_ date: Date) -> String { DisplayTime.format(date, in: zone) }
        customerID = card.customer.id
        name = card.customer.name
        preferredName = card.customer.preferredName
        customerNumber = card.customer.customerNumber
        program = card.customer.program
        greeting = card.greeting
        regular = card.regular
        missedYou = card.missedYou
        rhythm = Self.rhythm(card)
        mostHelped = card.bond.mostHelpedBy.map {
            "\($0.displayName) (\(card.bond.contactsWithMostHelped) contact\(card.bond.contactsWithMostHelped == 1 ? "" : "s"))"
        }
        lastHelped = card.bond.lastHelpedBy?.displayName
        preferredRep = card.bond.preferredRep?.displayName
        openMatters = card.openMatters.map { ContactLine($0, zone: zone) }
        bookings = card.upcomingBookings.map {
            BookingLine(
                id: $0.id, kind: $0.kind, when: when($0.startsAt), pickUp: $0.pickUp, dropOff: $0.dropOff,
                notes: $0.notes, confirmed: $0.status == .confirmed)
        }
        careNotes = card.careNotes.map {
            Note(
                id: $0.id, kind: $0.kind.rawValue, text: $0.text, guidance: $0.guidance,
                byline: [$0.author, $0.createdAt.map { DisplayTime.format($0, in: zone) }].compactMap { $0 }.joined(
                    separator: ", "))
        }
        lastContacts = card.lastContacts.map { ContactLine($0, zone: zone) }
    }

    /// "usually every 2 days · last in touch 12 days ago".
    static func rhythm(_ card: RecognitionCard) -> String {
        var parts: [String] = []
        if let gap = card.usualGapDays {
            let days = gap.rounded() == gap ? String(Int(gap)) : String(format: "%.1f", gap)
            parts.append(gap == 1 ? "usually every day" : "usually every \(days) days")
        }
        switch card.daysSinceLastContact {
        case .none: parts.append("first contact")
        case .some(0): parts.append("last in touch today")
        case .some(1): parts.append("last in touch yesterday")
        case .some(let days): parts.append("last in touch \(days) days ago")
        }
        return parts.joined(separator: " · ")
    }
}
