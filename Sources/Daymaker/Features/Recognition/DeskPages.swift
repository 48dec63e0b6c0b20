import DaymakerCore
import Fluent
import Vapor

/// The desk: where a rep looks people up and sees their recognition card.
struct DeskPages: RouteCollection {
    struct ProgramOption: Encodable {
        let code: String
        let name: String
        let selected: Bool
    }

    struct Candidate: Encodable {
        let id: UUID
        let name: String
        let customerNumber: String
        let detail: String
    }

    struct NewCaller: Encodable {
        let greeting: String
        let phone: String
        let email: String
        let handle: String
        let name: String
    }

    struct DeskView: Encodable {
        let query: String
        let programs: [ProgramOption]
        let program: String
        let card: CardView?
        var notes: [CustomerNote.Line] = []
        let candidates: [Candidate]
        let newCaller: NewCaller?
        let notice: String?
        let error: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let desk = routes.grouped("desk")
        desk.get(use: lookup)
        desk.get("customers", ":customerID", use: card)
        desk.post("customers", use: createCustomer)
        desk.post("customers", ":customerID", "note", use: addNote)
        desk.post("bookings", ":bookingID", "confirm", use: confirmBooking)
    }

    @Sendable func lookup(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let programs = try await Program.visible(to: principal, on: req.db)
        guard !programs.isEmpty else { throw AccessError.noProgram }
        let code = req.query[String.self, at: "program"]?.uppercased()
        let program = programs.first { $0.code == code } ?? programs[0]
        let options = programs.map { ProgramOption(code: $0.code, name: $0.name, selected: $0.id == program.id) }
        let notice = req.notice
        func render(card: CardView? = nil, candidates: [Candidate] = [], newCaller: NewCaller? = nil, error: String? = nil,
                    status: HTTPResponseStatus = .ok, query: String = "") async throws -> Response {
            var view = DeskView(query: query, programs: options, program: program.code, card: card, candidates: candidates,
                                newCaller: newCaller, notice: notice, error: error)
            if let card { view.notes = try await CustomerNote.Line.newest(customerID: card.customerID, zone: program.zone, limit: 5, on: req.db) }
            return try await req.page("desk/desk", title: card?.name ?? "Desk", section: "desk", view, status: status)
        }
        guard let query = req.query[String.self, at: "q"]?.nilIfBlank else { return try await render() }

        let identifier = Self.classify(query, country: program.country)
        let settings = try await RecognitionSettings.load(programID: try program.requireID(), on: req.db)
        var response: RecognitionResponse
        do {
            response = try await RecognitionController.recognise(
                program: program, settings: settings, principal: principal, phone: identifier.phone,
                customerNumber: identifier.customerNumber,
                email: identifier.email, handle: identifier.handle, now: req.now, repNames: req.application.cached.repNames, on: req.db)
        } catch let failure as ValidationFailure {
            return try await render(error: failure.errors.first?.detail, status: .unprocessableEntity, query: query)
        }
        if response.matches.isEmpty, identifier.phone != nil, query.allSatisfy({ $0.isNumber }) {
            // Seven or more digits may also be a customer number.
            response = try await RecognitionController.recognise(
                program: program, settings: settings, principal: principal, phone: nil, customerNumber: query, email: nil,
                handle: nil, now: req.now, repNames: req.application.cached.repNames, on: req.db)
        }
        let zone = program.zone
        if response.matches.count == 1 {
            return try await render(card: CardView(response.matches[0], zone: zone), query: query)
        }
        if response.matches.count > 1 {
            return try await render(candidates: response.matches.map(Self.candidate), query: query)
        }
        if identifier.customerNumber != nil {
            // Not a customer number: treat it as (part of) a name.
            let search = CustomerSearch(programs: [(try program.requireID(), program.country)], name: query, limit: 20)
            let (customers, _) = try await search.run(on: req.db)
            if customers.count == 1, let customer = customers.first {
                return req.seeOther("/desk/customers/\(try customer.requireID())")
            }
            if !customers.isEmpty {
                return try await render(candidates: customers.compactMap { c in
                    c.id.map { Candidate(id: $0, name: c.fullName, customerNumber: c.customerNumber, detail: c.preferredName.map { "“\($0)”" } ?? "") }
                }, query: query)
            }
        }
        return try await render(
            newCaller: NewCaller(
                greeting: response.newCallerGreeting ?? "",
                phone: response.identifier.withheld ? "" : (identifier.phone ?? ""),
                email: identifier.email ?? "", handle: identifier.handle ?? "",
                name: identifier.customerNumber ?? ""),
            query: query)
    }

    @Sendable func card(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let customer = try await Customer.visible(try req.uuidParameter("customerID", "Customer"), to: principal, on: req.db)
        let program = try await customer.$program.get(on: req.db)
        let card = try await RecognitionCard.card(
            for: try customer.requireID(), program: program, reader: principal, now: req.now, repNames: req.application.cached.repNames, on: req.db)
        let programs = try await Program.visible(to: principal, on: req.db)
        var view = DeskView(
            query: "", programs: programs.map { ProgramOption(code: $0.code, name: $0.name, selected: $0.id == program.id) },
            program: program.code, card: CardView(card, zone: program.zone),
            candidates: [], newCaller: nil, notice: req.notice, error: nil)
        view.notes = try await CustomerNote.Line.newest(customerID: try customer.requireID(), zone: program.zone, limit: 5, on: req.db)
        return try await req.page("desk/desk", title: customer.fullName, section: "desk", view)
    }

    struct NewCustomerForm: Content {
        var program: String
        var fullName: String?
        var preferredName: String?
        var phone: String?
        var email: String?
        var handle: String?
    }

    /// One-step creation for a new caller, keeping the identifier they called from.
    @Sendable func createCustomer(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(NewCustomerForm.self)
        let program = try await Program.visible(code: form.program, to: principal, on: req.db)
        let programID = try program.requireID()
        do {
            let draft = try CustomerDraft.validate(
                customerNumber: try await Customer.nextNumber(programID: programID, on: req.db), fullName: form.fullName,
                preferredName: form.preferredName, phones: form.phone?.nilIfBlank.map { [.init(number: $0, label: nil)] } ?? [],
                emails: form.email?.nilIfBlank.map { [$0] } ?? [],
                handles: form.handle?.nilIfBlank.map { [.init(network: "social", handle: $0)] } ?? [],
                timeZone: nil, notes: nil, preferredRepID: nil, country: program.country)
            let customer = try await Customer.create(draft, programID: programID, on: req.db)
            return req.seeOther("/desk/customers/\(try customer.requireID())", notice: .customerAdded)
        } catch {
            guard let failure = FormFailure(error, field: "customerNumber") else { throw error }
            let programs = try await Program.visible(to: principal, on: req.db)
            let view = DeskView(
                query: "", programs: programs.map { ProgramOption(code: $0.code, name: $0.name, selected: $0.id == program.id) },
                program: program.code, card: nil, candidates: [],
                newCaller: NewCaller(greeting: "", phone: form.phone ?? "", email: form.email ?? "", handle: form.handle ?? "",
                                     name: form.fullName ?? ""),
                notice: nil, error: failure.summary)
            return try await req.page("desk/desk", title: "New caller", section: "desk", view, status: failure.status)
        }
    }

    struct NoteForm: Content { var note: String? }

    /// The quick note: a new row, signed by the rep and dated (never a rewrite of shared text).
    @Sendable func addNote(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let customer = try await Customer.visible(try req.uuidParameter("customerID", "Customer"), to: principal, on: req.db)
        let form = try req.content.decode(NoteForm.self)
        let path = "/desk/customers/\(try customer.requireID())"
        guard form.note?.nilIfBlank != nil else { return req.seeOther(path, notice: .writeNoteFirst) }
        try await CustomerNote.add(to: customer, text: form.note, author: principal, now: req.now, on: req.db)
        return req.seeOther(path, notice: .noteSaved)
    }

    @Sendable func confirmBooking(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let booking = try await Booking.visible(try req.uuidParameter("bookingID", "Booking"), to: principal, on: req.db)
        let program = try await Program.find(booking.programID, on: req.db)
        try await booking.confirm(by: principal, contactID: nil, now: req.now, zone: program?.zone ?? .gmt, on: req.db)
        return req.seeOther("/desk/customers/\(booking.$customer.id)", notice: .bookingConfirmed)
    }

    /// What the one box holds: an email, a handle, a phone number, or else a customer number (or a name).
    static func classify(_ query: String, country: String) -> (phone: String?, customerNumber: String?, email: String?, handle: String?) {
        if query.hasPrefix("@") { return (nil, nil, nil, query) }
        if query.contains("@") { return (nil, nil, query, nil) }
        let digits = query.filter(\.isNumber)
        if digits.count >= 7, (try? PhoneNumber(parsing: query, defaultCountry: country)) != nil { return (query, nil, nil, nil) }
        return (nil, query, nil, nil)
    }

    static func candidate(_ card: RecognitionCard) -> Candidate {
        Candidate(id: card.customer.id, name: card.customer.name, customerNumber: card.customer.customerNumber,
                  detail: (card.regular ? "regular · " : "") + CardView.rhythm(card))
    }
}

extension Customer {
    /// A fresh customer number for someone created at the desk (`D-` and six digits, unique in the program).
    static func nextNumber(programID: UUID, on db: any Database) async throws -> String {
        for _ in 0..<20 {
            let number = "D-" + String(Int.random(in: 100_000...999_999))
            if try await Customer.query(on: db).filter(\.$program.$id == programID).filter(\.$customerNumber == number).count() == 0 {
                return number
            }
        }
        throw CustomerError.noFreeNumber
    }
}
