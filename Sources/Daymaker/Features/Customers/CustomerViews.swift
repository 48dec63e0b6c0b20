import DaymakerCore
import Fluent
import Foundation

/// The customer search page: the box, and one page of what it found.
struct CustomerSearchView: Encodable {
    struct Row: Encodable {
        let id: UUID
        let name: String
        let preferredName: String?
        let customerNumber: String
        let program: String
        let phones: [String]
    }
    let query: String
    var searched: Bool
    var rows: [Row]
    var nextCursor: String?
    var error: String?
}

/// The customer page.
struct CustomerView: Encodable {
    struct PhoneRow: Encodable {
        let number: String
        let e164: String
        let label: String?
    }
    let customer: CustomerDTO
    let phones: [PhoneRow]
    let programName: String
    let preferredRep: String?
    let card: CardView
    /// Members of the program may add care notes; supervisors among them may retire them.
    let canAddCareNotes: Bool
    let canRetireCareNotes: Bool
    let careNoteKinds: [String]
    let contacts: [ContactLine]
    /// The challenge running in the program, for members to tell a contact as a story.
    let storyChallenge: String?
    let nextCursor: String?
    let notes: [CustomerNote.Line]
}

extension CustomerSearchView {
    init(query: String) {
        self.init(query: query, searched: false, rows: [], nextCursor: nil, error: nil)
    }

    /// Runs the search and lists one page of what it finds.
    mutating func show(_ search: CustomerSearch, for principal: Principal, on db: any Database) async throws {
        searched = true
        let (customers, next) = try await search.run(on: db)
        let countries = Dictionary(
            try await Program.visible(to: principal, on: db).map { ($0.code, $0.country) },
            uniquingKeysWith: { a, _ in a })
        rows = try await Customer.dtos(customers, on: db).map { dto in
            Row(
                id: dto.id, name: dto.fullName, preferredName: dto.preferredName, customerNumber: dto.customerNumber,
                program: dto.program,
                phones: dto.phones.map { PhoneNumber.display($0.number, country: countries[dto.program]) })
        }
        nextCursor = next
    }
}

extension CustomerView {
    /// The customer page: their record, their card, one page of contacts and their quick notes.
    init(
        _ customer: Customer, for principal: Principal, page: PageRequest, now: Date, sources: CardSources,
        on db: any Database
    ) async throws {
        let id = try customer.requireID()
        let program = try await customer.$program.get(on: db)
        let (contacts, next) = try await Contact.history(customerID: id, limit: page.limit, cursor: page.cursor, on: db)
        let names = try await sources.repNames.names(
            for: Set(contacts.compactMap { $0.$rep.id } + [customer.$preferredRep.id].compactMap { $0 }), on: db,
            now: now)
        let dto = try await Customer.dtos([customer], on: db)[0]
        let card = try await RecognitionCard.card(
            for: id, program: program, reader: principal, now: now, sources: sources, on: db)
        let member = principal.programIDs.contains(customer.$program.id)
        self.init(
            customer: dto,
            phones: dto.phones.map {
                .init(
                    number: PhoneNumber.display($0.number, country: program.country), e164: $0.number, label: $0.label)
            },
            programName: program.name, preferredRep: customer.$preferredRep.id.flatMap { names[$0] },
            card: CardView(card, zone: program.zone),
            canAddCareNotes: member, canRetireCareNotes: member && principal.role >= .supervisor,
            careNoteKinds: CareNote.Kind.allCases.map(\.rawValue),
            contacts: contacts.map { ContactLine($0, rep: $0.$rep.id.flatMap { names[$0] }, zone: program.zone) },
            storyChallenge: member
                ? try await Challenges.running(in: try program.requireID(), at: now, on: db)?.id?.lowercaseText : nil,
            nextCursor: next,
            notes: try await CustomerNote.Line.newest(customerID: id, zone: program.zone, limit: 50, on: db))
    }
}

extension PhoneNumber {
    /// A stored E.164 number as a rep of the program reads it.
    static func display(_ e164: String, country: String?) -> String {
        guard let country, let number = try? PhoneNumber(e164: e164) else { return e164 }
        return number.formatted(for: country)
    }
}
