import DaymakerCore
import Fluent
import SQLKit
import Vapor

struct CallbackRequest: Content {
    var program: String
    var contactId: UUID?
    var customerId: UUID?
    var number: String?
    var repId: UUID?
    var reason: String?
}

/// A callback as the API shows it.
struct CallbackDTO: Content, Equatable {
    @LowercaseID var id: UUID
    var program: String
    @LowercaseID var customerId: UUID?
    var number: String
    @LowercaseID var repId: UUID?
    var dueStart: Date
    var dueEnd: Date
    var reason: String?
    var source: Callback.Source
    @LowercaseID var contactId: UUID?
    var status: Callback.Status
    var attempts: Int
    var createdAt: Date

    init(_ callback: Callback, program: String) throws {
        id = try callback.requireID()
        self.program = program
        customerId = callback.customerID
        number = callback.number
        repId = callback.repID
        dueStart = callback.dueStart
        dueEnd = callback.dueEnd
        reason = callback.reason
        source = callback.source
        contactId = callback.contactID
        status = callback.status
        attempts = callback.attempts
        createdAt = callback.createdAt
    }
}

/// `POST /api/v1/callbacks` books one; `GET /api/v1/callbacks?program=` lists the open ones, soonest due first;
/// `GET /api/v1/callbacks/{id}` shows one. Members of the program (and admins).
struct CallbackController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("callbacks", use: book)
        routes.get("callbacks", use: list)
        routes.get("callbacks", ":callbackID", use: show)
        routes.post("callbacks", ":callbackID", "attempt", use: attempt)
        routes.post("callbacks", ":callbackID", "cancel", use: cancel)
    }

    struct AttemptRequest: Content {
        /// Whether the customer was reached (then the callback is done).
        var reached: Bool
    }

    /// One try at calling back: counted; reaching the customer closes it.
    @Sendable func attempt(req: Request) async throws -> CallbackDTO {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(AttemptRequest.self)
        return try await Self.change(req, principal) { callback in
            callback.attempts += 1
            if body.reached { callback.status = .done }
            return "callback.attempted"
        }
    }

    @Sendable func cancel(req: Request) async throws -> CallbackDTO {
        let principal = try req.requirePrincipal()
        return try await Self.change(req, principal) { callback in
            callback.status = .cancelled
            return "callback.cancelled"
        }
    }

    /// Changes an open callback of the principal's programs (locked on PostgreSQL, so two reps' tries both
    /// count) and audits it; a closed one is a conflict.
    private static func change(
        _ req: Request, _ principal: Principal, _ apply: @escaping @Sendable (Callback) -> String
    ) async throws -> CallbackDTO {
        let id = try req.uuidParameter("callbackID", "Callback")
        let now = req.now
        let callback = try await req.db.writeTransaction { db in
            try await db.lockRow(in: Callback.schema, id: id)
            guard let callback = try await Callback.find(id, on: db), principal.canSee(program: callback.programID)
            else { throw NotFound("Callback") }
            guard callback.status == .open else { throw CallbackError.closed(callback.status) }
            let action = apply(callback)
            try await callback.save(on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: principal.userID, action: action, recordType: "callback",
                recordID: callback.id, programID: callback.programID)
            return callback
        }
        guard let program = try await Program.find(callback.programID, on: req.db) else { throw NotFound("Program") }
        return try CallbackDTO(callback, program: program.code)
    }

    @Sendable func book(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(CallbackRequest.self)
        let program = try await Program.visible(code: body.program, to: principal, on: req.db)
        let callback = try await Callbacks.book(
            body, in: program, source: principal.scopes == nil ? .desk : .api, by: principal.userID, now: req.now,
            on: req.db)
        return try await CallbackDTO(callback, program: program.code).created(
            at: "/api/v1/callbacks/\(try callback.requireID().lowercaseText)", for: req)
    }

    @Sendable func list(req: Request) async throws -> ItemPage<CallbackDTO> {
        let principal = try req.requirePrincipal()
        guard let code = QueryParameters(req.url.query)["program"]?.nilIfBlank else {
            throw ValidationFailure(field: "program", "is required")
        }
        let program = try await Program.visible(code: code, to: principal, on: req.db)
        let callbacks = try await Callback.query(on: req.db).filter(\.$programID == program.requireID())
            .filter(\.$status == .open).sort(\.$dueStart).sort(\.$id).limit(500).all()
        return ItemPage(items: try callbacks.map { try CallbackDTO($0, program: program.code) }, nextCursor: nil)
    }

    @Sendable func show(req: Request) async throws -> CallbackDTO {
        let principal = try req.requirePrincipal()
        guard let callback = try await Callback.find(try req.uuidParameter("callbackID", "Callback"), on: req.db),
            principal.canSee(program: callback.programID),
            let program = try await Program.find(callback.programID, on: req.db)
        else { throw NotFound("Callback") }
        return try CallbackDTO(callback, program: program.code)
    }
}

/// Booking callbacks.
enum Callbacks {
    /// A callback from the rep asked for is due in that rep's next shift (the one running now, if any); without
    /// a rep or shifts, within the next day. The number is the one given, else the one the contact came from.
    static func book(
        _ request: CallbackRequest, in program: Program, source: Callback.Source, incident: UUID? = nil,
        by actor: UUID?, now: Date, on db: any Database
    ) async throws -> Callback {
        let programID = try program.requireID()
        var v = FieldValidator()
        let reason = v.text(request.reason, "reason", required: false, maxLength: 200)
        try v.finish()
        var contact: Contact?
        if let id = request.contactId {
            guard let found = try await Contact.find(id, on: db), found.$program.id == programID else {
                throw ValidationFailure(field: "contactId", "is not a contact of program \(program.code)")
            }
            contact = found
        }
        var customerID = request.customerId ?? contact?.$customer.id
        if let id = request.customerId {
            guard let customer = try await Customer.find(id, on: db), customer.$program.id == programID else {
                throw ValidationFailure(field: "customerId", "is not a customer of program \(program.code)")
            }
            customerID = try customer.requireID()
        }
        let number: String
        if let raw = request.number?.nilIfBlank {
            do {
                number = try PhoneNumber(parsing: raw, defaultCountry: program.country).e164
            } catch {
                throw ValidationFailure(field: "number", error.description)
            }
        } else if let contact, [.voice, .sms].contains(contact.channel), contact.fromProblem == nil,
            contact.fromAddress != "withheld"
        {
            number = contact.fromAddress
        } else {
            throw ValidationFailure(field: "number", "is required: the contact gives no number to call back")
        }
        try await ProgramMembership.requireActiveMember(request.repId, of: programID, field: "repId", on: db)
        var due = DateInterval(start: now, duration: 86_400)
        if let rep = request.repId,
            let shift = try await RepPresence.shifts(of: rep, in: program, on: db).current(orNextAfter: now)
        {
            due = DateInterval(start: max(shift.start, now), end: shift.end)
        }
        let callback = Callback()
        callback.programID = programID
        callback.customerID = customerID
        callback.number = number
        callback.repID = request.repId
        callback.dueStart = due.start
        callback.dueEnd = due.end
        callback.reason = reason
        callback.source = source
        callback.contactID = request.contactId
        callback.incidentID = incident
        callback.status = .open
        callback.attempts = 0
        callback.createdBy = actor
        callback.createdAt = now
        try await db.writeTransaction { db in
            try await callback.create(on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: actor, action: "callback.booked", recordType: "callback",
                recordID: callback.id, programID: programID)
        }
        return callback
    }
}

enum CallbackError: DomainError, Equatable {
    case closed(Callback.Status)

    var kind: DomainErrorKind { .conflict }

    var description: String {
        switch self {
        case .closed(let status): "This callback is \(status.rawValue) already."
        }
    }
}
