import DaymakerCore
import Fluent
import Vapor

/// `/api/v1/customers`: create, read, update and search customers.
struct CustomerController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let customers = routes.grouped("customers")
        customers.get(use: search)
        customers.post(use: create)
        customers.get(":customerID", use: show)
        customers.patch(":customerID", use: update)
    }

    @Sendable func search(req: Request) async throws -> ItemPage<CustomerDTO> {
        let principal = try req.requirePrincipal()
        let page = try PageRequest(req)
        let search = try await Self.search(req: req, principal: principal, page: page)
        let (customers, next) = try await search.run(on: req.db)
        return ItemPage(items: try await Customer.dtos(customers, on: req.db), nextCursor: next)
    }

    /// Builds a search from query parameters (`program`, `q`, `phone`, `email`, `customerNumber`, `name`).
    static func search(req: Request, principal: Principal, page: PageRequest) async throws -> CustomerSearch {
        let programs: [Program]
        if let code = req.query[String.self, at: "program"]?.nilIfBlank {
            programs = [try await Program.visible(code: code, to: principal, on: req.db)]
        } else {
            programs = try await Program.visible(to: principal, on: req.db)
        }
        return CustomerSearch(
            programs: programs.compactMap { p in p.id.map { ($0, p.country) } },
            text: req.query[String.self, at: "q"], phone: req.query[String.self, at: "phone"],
            email: req.query[String.self, at: "email"], customerNumber: req.query[String.self, at: "customerNumber"],
            name: req.query[String.self, at: "name"], limit: page.limit, cursor: page.cursor)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(CustomerCreateRequest.self)
        let program = try await Program.visible(code: body.program, to: principal, on: req.db)
        let programID = try program.requireID()
        let draft = try CustomerDraft.validate(
            customerNumber: body.customerNumber, fullName: body.fullName, preferredName: body.preferredName,
            phones: body.phones ?? [], emails: body.emails ?? [], handles: body.handles ?? [], timeZone: body.timeZone,
            notes: body.notes, preferredRepID: body.preferredRepId, country: program.country)
        try await Self.checkPreferredRep(draft.preferredRepID, programID: programID, on: req.db)
        let customer = try await Customer.create(
            draft, programID: programID, doNotContact: body.doNotContact ?? false, on: req.db)
        let dto = try await Customer.dtos([customer], on: req.db)[0]
        return try await dto.created(at: "/api/v1/customers/\(dto.id.lowercaseText)", for: req)
    }

    @Sendable func show(req: Request) async throws -> CustomerDTO {
        let principal = try req.requirePrincipal()
        let customer = try await Customer.visible(
            try req.uuidParameter("customerID", "Customer"), to: principal, on: req.db)
        return try await Customer.dtos([customer], on: req.db)[0]
    }

    @Sendable func update(req: Request) async throws -> CustomerDTO {
        let principal = try req.requirePrincipal()
        let customer = try await Customer.visible(
            try req.uuidParameter("customerID", "Customer"), to: principal, on: req.db)
        let body = try req.decodeStrict(CustomerUpdateRequest.self)
        let current = try await Customer.dtos([customer], on: req.db)[0]
        let program = try await customer.$program.get(on: req.db)
        let draft = try CustomerDraft.changing(current, with: body, country: program.country)
        if body.preferredRepId != nil {
            try await Self.checkPreferredRep(draft.preferredRepID, programID: customer.$program.id, on: req.db)
        }
        var lists: Customer.IdentifierLists = []
        if body.phones != nil { lists.insert(.phones) }
        if body.emails != nil { lists.insert(.emails) }
        if body.handles != nil { lists.insert(.handles) }
        if let value = body.doNotContact { customer.doNotContact = value }
        try await customer.update(with: draft, replacing: lists, on: req.db)
        return try await Customer.dtos([customer], on: req.db)[0]
    }

    /// A preferred rep must be an active member of the customer's program.
    static func checkPreferredRep(_ repID: UUID?, programID: UUID, on db: any Database) async throws {
        try await ProgramMembership.requireActiveMember(repID, of: programID, field: "preferredRepId", on: db)
    }
}
