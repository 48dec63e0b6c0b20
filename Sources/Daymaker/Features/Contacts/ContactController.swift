import DaymakerCore
import Fluent
import Vapor

/// `/api/v1/contacts` and a customer's contact history.
struct ContactController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("contacts", use: create)
        routes.get("contacts", ":contactID", use: show)
        routes.patch("contacts", ":contactID", use: update)
        routes.get("customers", ":customerID", "contacts", use: history)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(ContactCreateRequest.self)
        let program = try await Program.visible(code: body.program, to: principal, on: req.db)
        let programID = try program.requireID()

        let contact = Contact()
        contact.$program.id = programID
        if let customerID = body.customerId {
            guard let customer = try await Customer.find(customerID, on: req.db), customer.$program.id == programID else {
                throw ValidationFailure(field: "customerId", "is not a customer of program \(program.code)")
            }
            contact.$customer.id = customerID
        }
        contact.channel = body.channel
        contact.direction = body.direction
        contact.fromAddress = try Contact.normalizedAddress(body.from, channel: body.channel, country: program.country, field: "from")
        contact.toAddress = try Contact.normalizedAddress(body.to, channel: body.channel, country: program.country, field: "to")
        contact.status = body.status ?? .queued
        contact.arrivedAt = body.arrivedAt ?? req.now
        contact.answeredAt = body.answeredAt
        contact.endedAt = body.endedAt
        try Contact.checkTimeline(arrived: contact.arrivedAt, answered: contact.answeredAt, ended: contact.endedAt)
        try await Contact.checkRep(body.repId, programID: programID, on: req.db)
        contact.$rep.id = body.repId
        try Self.apply(reason: body.reason, summary: body.summary, to: contact)
        contact.resolution = body.resolution
        var v = FieldValidator()
        let externalID = v.text(body.externalId, "externalId", required: false, maxLength: 200)
        try v.finish()
        if let external = externalID {
            let existing = try await Contact.query(on: req.db)
                .filter(\.$program.$id == programID).filter(\.$externalID == external).first()
            if let existing, let id = existing.id {
                throw ContactError.externalIDTaken(external, existing: id)
            }
            contact.externalID = external
        }
        try await contact.create(on: req.db)
        let response = try await ContactDTO(contact, programCode: program.code).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/contacts/\(try contact.requireID())")
        return response
    }

    @Sendable func show(req: Request) async throws -> ContactDTO {
        let principal = try req.requirePrincipal()
        let contact = try await Contact.visible(try req.uuidParameter("contactID", "Contact"), to: principal, on: req.db)
        return try ContactDTO(contact, programCode: try await contact.$program.get(on: req.db).code)
    }

    @Sendable func update(req: Request) async throws -> ContactDTO {
        let principal = try req.requirePrincipal()
        let contact = try await Contact.visible(try req.uuidParameter("contactID", "Contact"), to: principal, on: req.db)
        let body = try req.decodeStrict(ContactUpdateRequest.self)
        if let status = body.status { contact.status = status }
        if let answered = body.answeredAt { contact.answeredAt = answered }
        if let ended = body.endedAt { contact.endedAt = ended }
        try Contact.checkTimeline(arrived: contact.arrivedAt, answered: contact.answeredAt, ended: contact.endedAt)
        if let repID = body.repId {
            try await Contact.checkRep(repID, programID: contact.$program.id, on: req.db)
            contact.$rep.id = repID
        }
        try Self.apply(reason: body.reason ?? contact.reason, summary: body.summary ?? contact.summary, to: contact)
        if let resolution = body.resolution { contact.resolution = resolution }
        try await contact.save(on: req.db)
        return try ContactDTO(contact, programCode: try await contact.$program.get(on: req.db).code)
    }

    @Sendable func history(req: Request) async throws -> ItemPage<ContactDTO> {
        let principal = try req.requirePrincipal()
        let customer = try await Customer.visible(try req.uuidParameter("customerID", "Customer"), to: principal, on: req.db)
        let page = try PageRequest(req)
        let (contacts, next) = try await Contact.history(
            customerID: try customer.requireID(), limit: page.limit, cursor: page.cursor, on: req.db)
        let code = try await customer.$program.get(on: req.db).code
        return ItemPage(items: try contacts.map { try ContactDTO($0, programCode: code) }, nextCursor: next)
    }

    private static func apply(reason: String?, summary: String?, to contact: Contact) throws(ValidationFailure) {
        var v = FieldValidator()
        contact.reason = v.text(reason, "reason", required: false, maxLength: 200)
        contact.summary = v.text(summary, "summary", required: false, maxLength: 5000)
        try v.finish()
    }
}
