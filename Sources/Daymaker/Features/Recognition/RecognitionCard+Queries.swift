import Fluent
import Foundation
import SQLKit

/// The recognition card's reads, written for the hot path: a PBX asks for a card on every call.
/// A typical card costs two queries: the customer (with flags for bookings and care notes and the preferred
/// rep's name) and their recent contacts (with the reps' names); bookings and care notes are read only when
/// the flags say there are some.
extension RecognitionCard {
    /// A customer as the card needs them.
    struct Candidate: Decodable, Sendable {
        let id: UUID
        let customer_number: String
        let full_name: String
        let preferred_name: String?
        let preferred_rep_id: UUID?
        let created_at: Date?
        let has_bookings: Int
        let has_care_notes: Int
    }

    /// One recent contact with the name of the rep who handled it.
    struct Recent: Decodable, Sendable {
        let id: UUID
        let arrived_at: Date
        let channel: String
        let direction: String
        let status: String
        let reason: String?
        let summary: String?
        let resolution: String?
        let rep_id: UUID?
    }

    /// The most recent open matters the card lists; older ones are on the customer page.
    static let openMattersShown = 5

    /// How many recent contacts per customer the card reads (enough for a daily regular's whole window).
    static let historyLimit = 400

    /// Everyone in the program the identifier belongs to.
    static func people(
        _ identifier: RecognitionLookup.Identifier, programID: UUID, settings: RecognitionSettings, now: Date,
        on db: any Database
    ) async throws -> [Candidate] {
        let match: SQLQueryString
        switch identifier {
        case .phone(let e164):
            match = "JOIN customer_phones k ON k.customer_id = c.id WHERE k.e164 = \(bind: e164) AND k.program_id = \(bind: programID)"
        case .email(let address):
            var addresses = [address]
            if settings.matchEmailPlusTags, let base = RecognitionLookup.baseAddress(address) { addresses.append(base) }
            match = "JOIN customer_emails k ON k.customer_id = c.id WHERE k.address IN (\(binds: addresses)) AND k.program_id = \(bind: programID)"
        case .handle(let handle):
            match = "JOIN customer_handles k ON k.customer_id = c.id WHERE k.handle = \(bind: handle) AND k.program_id = \(bind: programID)"
        case .customerNumber(let number):
            match = "WHERE c.program_id = \(bind: programID) AND c.customer_number IN (\(binds: [number, number.uppercased()]))"
        }
        return try await people(where: match, now: now, on: db)
    }

    /// The given customers, as the card needs them.
    static func people(ids: [UUID], now: Date, on db: any Database) async throws -> [Candidate] {
        guard !ids.isEmpty else { return [] }
        return try await people(where: "WHERE c.id IN (\(binds: ids))", now: now, on: db)
    }

    private static func people(where match: SQLQueryString, now: Date, on db: any Database) async throws -> [Candidate] {
        let from = now.addingTimeInterval(-3600), until = now.addingTimeInterval(7 * 86_400)
        let query: SQLQueryString = """
            SELECT c.id, c.customer_number, c.full_name, c.preferred_name, c.preferred_rep_id, c.created_at,
              CASE WHEN EXISTS (SELECT 1 FROM bookings b WHERE b.customer_id = c.id AND b.starts_at >= \(bind: from)
                AND b.starts_at <= \(bind: until) AND b.status <> 'cancelled') THEN 1 ELSE 0 END AS has_bookings,
              CASE WHEN EXISTS (SELECT 1 FROM care_notes n WHERE n.customer_id = c.id AND n.retired_at IS NULL)
                THEN 1 ELSE 0 END AS has_care_notes
            FROM customers c
            """ + " " + match
        return try await db.sqlDatabase.raw(query).all(decoding: Candidate.self)
    }

    /// A customer's latest contacts, newest first.
    static func recentContacts(customerID: UUID, limit: Int, on db: any Database) async throws -> [Recent] {
        try await db.sqlDatabase.raw("""
            SELECT id, arrived_at, channel, direction, status, reason, summary, resolution, rep_id FROM contacts
            WHERE customer_id = \(bind: customerID) ORDER BY arrived_at DESC LIMIT \(literal: limit)
            """).all(decoding: Recent.self)
    }

    /// Builds the cards for people of one program, most recently active first.
    ///
    /// - Parameters:
    ///   - reader: who is looking; their display name goes into the greeting, and care-note reads are audited
    ///     against them (members of the program only read care notes).
    static func build(
        for people: [Candidate], program: Program, settings: RecognitionSettings, reader: Principal, now: Date,
        repNames: RepNameCache, on db: any Database
    ) async throws -> [RecognitionCard] {
        let programID = try program.requireID()
        let zone = TimeZone(identifier: program.timeZone) ?? .gmt
        let policy = RecognitionPolicy(settings: settings, timeZone: zone)
        // Two extra days cover the local-day rounding at the window's start.
        let windowStart = now.addingTimeInterval(-Double(settings.windowDays + 2) * 86_400)
        let readsCareNotes = reader.programIDs.contains(programID)

        var cards: [(card: RecognitionCard, lastActive: Date)] = []
        for person in people {
            let latest = try await recentContacts(customerID: person.id, limit: historyLimit, on: db)
            let contacts = Array(latest.enumerated().prefix { index, contact in index < 5 || contact.arrived_at >= windowStart }.map(\.element))
            let history = contacts.map {
                RecognitionPolicy.Past(
                    arrivedAt: $0.arrived_at, inbound: $0.direction == Contact.Direction.inbound.rawValue, repID: $0.rep_id,
                    handled: $0.status != Contact.Status.abandoned.rawValue && $0.status != Contact.Status.failed.rawValue)
            }
            let names = try await repNames.names(for: Set(contacts.compactMap(\.rep_id) + [person.preferred_rep_id].compactMap { $0 }), on: db)
            func rep(_ id: UUID?) -> Rep? { id.flatMap { id in names[id].map { Rep(id: id, displayName: $0) } } }
            let assessment = policy.assess(history, now: now)
            let bond = policy.bond(history)
            let name = person.preferred_name ?? person.full_name.split(separator: " ").first.map(String.init)

            let bookings = person.has_bookings == 0 ? [] : try await Booking.query(on: db)
                .filter(\.$customer.$id == person.id)
                .filter(\.$startsAt >= now.addingTimeInterval(-3600)).filter(\.$startsAt <= now.addingTimeInterval(7 * 86_400))
                .filter(\.$status != .cancelled).sort(\.$startsAt).all()
            var careNotes: [CareNoteSummary] = []
            if readsCareNotes, person.has_care_notes != 0 {
                careNotes = try await careNoteSummaries(customerID: person.id, on: db)
                try await AuditEntry.record(
                    on: db, actor: reader.userID, action: "care-notes.read", recordType: "customer", recordID: person.id,
                    programID: programID, detail: "\(careNotes.count) note(s) on the recognition card")
            }
            let card = RecognitionCard(
                customer: .init(id: person.id, customerNumber: person.customer_number, name: person.full_name,
                                preferredName: person.preferred_name, program: program.code),
                regular: assessment.regular, usualGapDays: assessment.usualGapDays,
                daysSinceLastContact: assessment.daysSinceLastContact, missedYou: assessment.missedYou,
                greeting: policy.greeting(name: name, assessment: assessment, rep: reader.displayName, program: program.name),
                lastContacts: contacts.prefix(5).map {
                    PastContact(
                        id: $0.id, at: $0.arrived_at, channel: Contact.Channel(rawValue: $0.channel) ?? .voice,
                        direction: Contact.Direction(rawValue: $0.direction) ?? .inbound,
                        status: Contact.Status(rawValue: $0.status) ?? .ended, reason: $0.reason, summary: $0.summary,
                        resolution: $0.resolution.flatMap(Contact.Resolution.init(rawValue:)), rep: $0.rep_id.flatMap { names[$0] })
                },
                bond: Bond(
                    mostHelpedBy: rep(bond.mostHelpedBy), contactsWithMostHelped: bond.contactsWithMostHelped,
                    lastHelpedBy: rep(bond.lastHelpedBy),
                    preferredRep: rep(person.preferred_rep_id)),
                openMatters: contacts.lazy.compactMap { contact -> OpenMatter? in
                    guard let resolution = contact.resolution.flatMap(Contact.Resolution.init(rawValue:)),
                        resolution == .unresolved || resolution == .followUp
                    else { return nil }
                    return OpenMatter(kind: "contact", contactId: contact.id, at: contact.arrived_at, reason: contact.reason,
                                      summary: contact.summary, resolution: resolution)
                }.prefix(Self.openMattersShown).map { $0 },
                upcomingBookings: bookings.compactMap { booking in
                    booking.id.map {
                        BookingSummary(id: $0, kind: booking.kind, startsAt: booking.startsAt, pickUp: booking.pickUp,
                                       dropOff: booking.dropOff, notes: booking.notes, status: booking.status)
                    }
                },
                careNotes: careNotes)
            cards.append((card, contacts.first?.arrived_at ?? person.created_at ?? .distantPast))
        }
        return cards.sorted { $0.lastActive > $1.lastActive }.map(\.card)
    }

    private static func careNoteSummaries(customerID: UUID, on db: any Database) async throws -> [CareNoteSummary] {
        let notes = try await CareNote.query(on: db).filter(\.$customer.$id == customerID).filter(\.$retiredAt == nil)
            .sort(\.$createdAt, .descending).all()
        let authors = try await User.query(on: db).filter(\.$id ~~ Set(notes.map(\.authorID))).all()
        let names = Dictionary(authors.compactMap { u in u.id.map { ($0, u.displayName) } }, uniquingKeysWith: { a, _ in a })
        return notes.compactMap { note in
            note.id.map {
                CareNoteSummary(id: $0, kind: note.kind, text: note.text, guidance: note.guidance, author: names[note.authorID],
                                createdAt: note.createdAt, reviewOn: note.reviewOn)
            }
        }
    }
}
