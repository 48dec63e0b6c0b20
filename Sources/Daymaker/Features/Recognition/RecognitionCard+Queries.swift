import DaymakerCore
import Fluent
import Foundation

/// Reading people for their recognition cards (the statements themselves are in ``CardReads``).
extension RecognitionCard {
    /// A customer as the card needs them.
    struct Candidate: Sendable {
        let id: UUID
        let customerNumber: String
        let fullName: String
        let preferredName: String?
        let preferredRepID: UUID?
        let createdAt: Date?
        let hasBookings: Bool
        let hasCareNotes: Bool
        /// Their latest contacts, newest first (see ``window(settings:now:)``).
        var contacts: [Recent]
    }

    /// One recent contact.
    struct Recent: Sendable {
        let id: UUID
        let arrivedAt: Date
        let channel: String
        let direction: String
        let status: String
        let reason: String?
        let summary: String?
        let resolution: String?
        let repID: UUID?
    }

    /// The most recent open matters the card lists; older ones are on the customer page.
    static let openMattersShown = 5

    /// How many recent contacts per customer the card reads at most (enough for a daily regular's whole window).
    static let historyLimit = 400

    /// The latest contacts the card shows, however old.
    static let lastContactsShown = 5

    /// Everyone in the program the identifier belongs to.
    static func people(
        _ identifier: RecognitionLookup.Identifier, programID: UUID, settings: RecognitionSettings, now: Date,
        reads: any RecognitionReads, on db: any Database
    ) async throws -> [Candidate] {
        let match: CardReads.Match
        switch identifier {
        case .phone(let e164):
            match = .phone(programID: programID, e164: e164)
        case .email(let address):
            var addresses = [address]
            if settings.matchEmailPlusTags, let base = RecognitionLookup.baseAddress(address) { addresses.append(base) }
            match = .emails(programID: programID, addresses)
        case .handle(let handle):
            match = .handle(programID: programID, handle)
        case .customerNumber(let number):
            match = .customerNumbers(programID: programID, Array(Set([number, number.uppercased()])))
        }
        return try await reads.people(
            match, window: window(settings: settings, now: now), bookings: upcomingBookings(now: now), on: db)
    }

    /// The given customers, as the card needs them.
    static func people(
        ids: [UUID], settings: RecognitionSettings, now: Date, reads: any RecognitionReads, on db: any Database
    ) async throws -> [Candidate] {
        guard !ids.isEmpty else { return [] }
        return try await reads.people(
            .ids(ids), window: window(settings: settings, now: now), bookings: upcomingBookings(now: now), on: db)
    }

    /// The bookings a card shows: from an hour ago (a ride that is just late) to seven days ahead.
    static func upcomingBookings(now: Date) -> (from: Date, until: Date) {
        (now.addingTimeInterval(-3600), now.addingTimeInterval(7 * 86_400))
    }

    /// One customer's card, as the desk and the customer page show it.
    static func card(
        for customerID: UUID, program: Program, reader: Principal, now: Date, sources: CardSources,
        on db: any Database
    ) async throws -> RecognitionCard {
        let settings = try await RecognitionSettings.load(programID: try program.requireID(), on: db)
        let people = try await people(ids: [customerID], settings: settings, now: now, reads: sources.reads, on: db)
        let cards = try await build(
            for: people, program: program, settings: settings, reader: reader, now: now, sources: sources, on: db)
        guard let card = cards.first else { throw NotFound("Customer") }
        return card
    }

    /// The contacts the card reads: the policy's whole window (two extra days cover the local-day rounding at its
    /// start), but at least the last five shown, and at most ``historyLimit``.
    static func window(settings: RecognitionSettings, now: Date) -> CardReads.Window {
        .init(
            since: now.addingTimeInterval(-Double(settings.windowDays + 2) * 86_400), atLeast: lastContactsShown,
            atMost: historyLimit)
    }

    /// Builds the cards for people of one program, most recently active first.
    ///
    /// - Parameters:
    ///   - reader: who is looking; their display name goes into the greeting, and care-note reads are audited
    ///     against them (members of the program only read care notes).
    static func build(
        for people: [Candidate], program: Program, settings: RecognitionSettings, reader: Principal, now: Date,
        sources: CardSources, on db: any Database
    ) async throws -> [RecognitionCard] {
        let programID = try program.requireID()
        let policy = RecognitionPolicy(settings: settings, timeZone: program.zone)
        let readsCareNotes = reader.programIDs.contains(programID)
        let upcoming = upcomingBookings(now: now)

        var cards: [(card: RecognitionCard, lastActive: Date)] = []
        for person in people {
            let names = try await sources.repNames.names(
                for: Set(person.contacts.compactMap(\.repID) + [person.preferredRepID].compactMap { $0 }), on: db,
                now: now)
            let bookings =
                !person.hasBookings
                ? []
                : try await Booking.query(on: db)
                    .filter(\.$customer.$id == person.id)
                    .filter(\.$startsAt >= upcoming.from).filter(\.$startsAt <= upcoming.until)
                    .filter(\.$status != .cancelled).sort(\.$startsAt).all()
            var careNotes: [CareNoteSummary] = []
            if readsCareNotes, person.hasCareNotes {
                careNotes = try await careNoteSummaries(customerID: person.id, on: db)
                try await AuditEntry.record(
                    on: db, at: now, actor: reader.userID, action: "care-notes.read", recordType: "customer",
                    recordID: person.id,
                    programID: programID, detail: "\(careNotes.count) note(s) on the recognition card")
            }
            let card = RecognitionCard(
                person, in: program, policy: policy, repNames: names, bookings: bookings, careNotes: careNotes,
                greetedBy: reader.displayName, now: now)
            cards.append((card, person.contacts.first?.arrivedAt ?? person.createdAt ?? .distantPast))
        }
        return cards.sorted { $0.lastActive > $1.lastActive }.map(\.card)
    }

    private static func careNoteSummaries(customerID: UUID, on db: any Database) async throws -> [CareNoteSummary] {
        let notes = try await CareNote.query(on: db).filter(\.$customer.$id == customerID).filter(\.$retiredAt == nil)
            .sort(\.$createdAt, .descending).all()
        let authors = try await User.query(on: db).filter(\.$id ~~ Set(notes.map(\.authorID))).all()
        let names = Dictionary(
            authors.compactMap { u in u.id.map { ($0, u.displayName) } }, uniquingKeysWith: { a, _ in a })
        return notes.compactMap { note in
            note.id.map {
                CareNoteSummary(
                    id: $0, kind: note.kind, text: note.text, guidance: note.guidance, author: names[note.authorID],
                    createdAt: note.createdAt, reviewOn: note.reviewOn)
            }
        }
    }
}
