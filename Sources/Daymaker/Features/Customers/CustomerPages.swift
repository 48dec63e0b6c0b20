import DaymakerCore
import Fluent
import Vapor

/// Customer search and the customer page.
struct CustomerPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("customers", use: search)
        routes.get("customers", ":customerID", use: show)
        routes.post("customers", ":customerID", "care-notes", use: addCareNote)
        routes.post("customers", ":customerID", "do-not-contact", use: doNotContact)
        routes.post("care-notes", ":careNoteID", "retire", use: retireCareNote)
    }

    @Sendable func search(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        var view = CustomerSearchView(query: req.query[String.self, at: "q"]?.nilIfBlank ?? "")
        var status = HTTPResponseStatus.ok
        if !view.query.isEmpty {
            do {
                var search = try await CustomerController.search(
                    req: req, principal: principal, page: try PageRequest(req))
                search.text = view.query
                try await view.show(search, for: principal, on: req.db)
            } catch let failure as ValidationFailure {
                view.error = failure.errors.map { "\($0.field) \($0.detail)" }.joined(separator: "; ")
                status = .unprocessableEntity
            }
        }
        return try await req.page(
            "customers/search", title: "Find a customer", section: "customers", view, status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let customer = try await Customer.visible(
            try req.uuidParameter("customerID", "Customer"), to: principal, on: req.db)
        let view = try await CustomerView(
            customer, for: principal, page: try PageRequest(req), now: req.now,
            sources: req.application.cardSources,
            on: req.db)
        return try await req.page("customers/show", title: customer.fullName, section: "customers", view)
    }

    /// "They asked not to be contacted" (no surveys), or again that they may be: members of the program.
    @Sendable func doNotContact(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let customer = try await CareNote.memberCustomer(
            try req.uuidParameter("customerID", "Customer"), principal, on: req.db)
        customer.doNotContact = req.content[String.self, at: "doNotContact"] == "true"
        try await customer.save(on: req.db)
        return req.seeOther("/customers/\(try customer.requireID().lowercaseText)", notice: .saved)
    }

    struct CareNoteForm: Content {
        var kind: String?
        var text: String?
        var guidance: String?
        var reviewOn: String?
    }

    @Sendable func addCareNote(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let customer = try await CareNote.memberCustomer(
            try req.uuidParameter("customerID", "Customer"), principal, on: req.db)
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
        let note = try await CareNote.memberNote(
            try req.uuidParameter("careNoteID", "Care note"), principal, on: req.db)
        try principal.require(.supervisor)
        try await note.retire(by: principal, now: req.now, on: req.db)
        return req.seeOther("/customers/\(note.$customer.id)")
    }
}
