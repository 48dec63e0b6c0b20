import DaymakerCore
import Fluent
import Vapor

/// Customer search and the customer page.
struct CustomerPages: RouteCollection {
    struct SearchView: Encodable {
        struct Row: Encodable {
            let id: UUID
            let name: String
            let preferredName: String?
            let customerNumber: String
            let program: String
            let phones: [String]
        }
        let query: String
        let searched: Bool
        let rows: [Row]
        let nextCursor: String?
        let error: String?
    }

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
        let nextCursor: String?
        let notes: [CustomerNote.Line]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("customers", use: search)
        routes.get("customers", ":customerID", use: show)
        routes.post("customers", ":customerID", "care-notes", use: addCareNote)
        routes.post("care-notes", ":careNoteID", "retire", use: retireCareNote)
    }

    @Sendable func search(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let query = req.query[String.self, at: "q"]?.nilIfBlank
        guard let query else {
            return try await req.page("customers/search", title: "Find a customer", section: "customers",
                                      SearchView(query: "", searched: false, rows: [], nextCursor: nil, error: nil))
        }
        do {
            let page = try PageRequest(req)
            var search = try await CustomerController.search(req: req, principal: principal, page: page)
            search.text = query
            let (customers, next) = try await search.run(on: req.db)
            let countries = Dictionary(
                try await Program.visible(to: principal, on: req.db).map { ($0.code, $0.country) }, uniquingKeysWith: { a, _ in a })
            let rows = try await Customer.dtos(customers, on: req.db).map { dto in
                SearchView.Row(id: dto.id, name: dto.fullName, preferredName: dto.preferredName,
                               customerNumber: dto.customerNumber, program: dto.program,
                               phones: dto.phones.map { Self.display($0.number, country: countries[dto.program]) })
            }
            return try await req.page("customers/search", title: "Find a customer", section: "customers",
                                      SearchView(query: query, searched: true, rows: rows, nextCursor: next, error: nil))
        } catch let failure as ValidationFailure {
            return try await req.page(
                "customers/search", title: "Find a customer", section: "customers",
                SearchView(query: query, searched: true, rows: [], nextCursor: nil,
                           error: failure.errors.map { "\($0.field) \($0.detail)" }.joined(separator: "; ")),
                status: .unprocessableEntity)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let customer = try await Customer.visible(try req.uuidParameter("customerID", "Customer"), to: principal, on: req.db)
        let page = try PageRequest(req)
        async let dto = Customer.dtos([customer], on: req.db)
        async let program = customer.$program.get(on: req.db)
        async let history = Contact.history(customerID: try customer.requireID(), limit: page.limit, cursor: page.cursor, on: req.db)
        let (contacts, next) = try await history
        let repIDs = Set(contacts.compactMap { $0.$rep.id } + [customer.$preferredRep.id].compactMap { $0 })
        let reps = try await User.query(on: req.db).filter(\.$id ~~ repIDs).all()
        let names = Dictionary(uniqueKeysWithValues: reps.compactMap { u in u.id.map { ($0, u.displayName) } })
        let zone = try await program.zone
        let rows = contacts.map { ContactLine($0, rep: $0.$rep.id.flatMap { names[$0] }, zone: zone) }
        let customerDTO = try await dto[0]
        let country = try await program.country
        let card = try await RecognitionCard.card(
            for: try customer.requireID(), program: try await program, reader: principal, now: req.now,
            repNames: req.application.cached.repNames, on: req.db)
        let member = principal.programIDs.contains(customer.$program.id)
        let view = CustomerView(
            customer: customerDTO,
            phones: customerDTO.phones.map { .init(number: Self.display($0.number, country: country), e164: $0.number, label: $0.label) },
            programName: try await program.name,
            preferredRep: customer.$preferredRep.id.flatMap { names[$0] }, card: CardView(card, zone: zone),
            canAddCareNotes: member, canRetireCareNotes: member && principal.role >= .supervisor,
            careNoteKinds: CareNote.Kind.allCases.map(\.rawValue), contacts: rows, nextCursor: next,
            notes: try await CustomerNote.Line.newest(customerID: try customer.requireID(), zone: zone, limit: 50, on: req.db))
        return try await req.page("customers/show", title: customer.fullName, section: "customers", view)
    }

    struct CareNoteForm: Content {
        var kind: String?
        var text: String?
        var guidance: String?
        var reviewOn: String?
    }

    @Sendable func addCareNote(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let customer = try await CareNote.memberCustomer(try req.uuidParameter("customerID", "Customer"), principal, on: req.db)
        let form = try req.content.decode(CareNoteForm.self)
        let id = try customer.requireID()
        guard let kind = form.kind.flatMap(CareNote.Kind.init(rawValue:)) else {
            throw ValidationFailure(field: "kind", "choose bereavement, health, accessibility, safety or other")
        }
        _ = try await CareNote.add(
            to: customer, kind: kind, text: form.text, guidance: form.guidance, reviewOn: form.reviewOn?.nilIfBlank,
            author: principal, now: req.now, on: req.db)
        return req.seeOther("/customers/\(id)")
    }

    @Sendable func retireCareNote(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let note = try await CareNote.memberNote(try req.uuidParameter("careNoteID", "Care note"), principal, on: req.db)
        try principal.require(.supervisor)
        try await note.retire(by: principal, now: req.now, on: req.db)
        return req.seeOther("/customers/\(note.$customer.id)")
    }

    /// A stored E.164 number as a rep of the program reads it.
    static func display(_ e164: String, country: String?) -> String {
        guard let country, let number = try? PhoneNumber(e164: e164) else { return e164 }
        return number.formatted(for: country)
    }
}
