import DaymakerCore
import Fluent
import Vapor

/// `/api/v1/contacts` and a customer's contact history.
struct ContactController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("contacts", use: create)
        routes.get("contacts", ":contactID", use: show)
        routes.patch("contacts", ":contactID", use: update)
        routes.post("contacts", ":contactID", "wellbeing", use: flag)
        routes.get("customers", ":customerID", "contacts", use: history)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(ContactCreateRequest.self)
        let program = try await Program.visible(code: body.program, to: principal, on: req.db)
        let contact = try await Contact.record(body, in: program, now: req.now, on: req.db)
        return try await ContactDTO(contact, programCode: program.code)
            .created(at: "/api/v1/contacts/\(try contact.requireID().lowercaseText)", for: req)
    }

    @Sendable func show(req: Request) async throws -> ContactDTO {
        let principal = try req.requirePrincipal()
        let contact = try await Contact.visible(
            try req.uuidParameter("contactID", "Contact"), to: principal, on: req.db)
        return try ContactDTO(contact, programCode: try await contact.$program.get(on: req.db).code)
    }

    @Sendable func update(req: Request) async throws -> ContactDTO {
        let principal = try req.requirePrincipal()
        let contact = try await Contact.visible(
            try req.uuidParameter("contactID", "Contact"), to: principal, on: req.db)
        try await contact.apply(try req.decodeStrict(ContactUpdateRequest.self), on: req.db)
        return try ContactDTO(contact, programCode: try await contact.$program.get(on: req.db).code)
    }

    /// Flags a contact heated or abusive (its rep, or a supervisor of its program); the supervisors' board shows it.
    @Sendable func flag(req: Request) async throws -> ContactDTO {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(WellbeingRequest.self)
        let contact = try await Wellbeing.flag(
            body.flag, contactID: try req.uuidParameter("contactID", "Contact"), by: principal, now: req.now,
            on: req.db)
        await req.publish(.queueChanged(contact.$program.id))
        return try ContactDTO(contact, programCode: try await contact.$program.get(on: req.db).code)
    }

    @Sendable func history(req: Request) async throws -> ItemPage<ContactDTO> {
        let principal = try req.requirePrincipal()
        let customer = try await Customer.visible(
            try req.uuidParameter("customerID", "Customer"), to: principal, on: req.db)
        let page = try PageRequest(req)
        let (contacts, next) = try await Contact.history(
            customerID: try customer.requireID(), limit: page.limit, cursor: page.cursor, on: req.db)
        let code = try await customer.$program.get(on: req.db).code
        return ItemPage(items: try contacts.map { try ContactDTO($0, programCode: code) }, nextCursor: next)
    }
}
