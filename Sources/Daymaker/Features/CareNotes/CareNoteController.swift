import DaymakerCore
import Fluent
import Vapor

/// A care note as the API shows it.
struct CareNoteDTO: Content, Equatable {
    @LowercaseID var id: UUID
    @LowercaseID var customerId: UUID
    var kind: CareNote.Kind
    var text: String
    var guidance: String
    @LowercaseID var authorId: UUID
    var reviewOn: String?
    var retiredAt: Date?
    var createdAt: Date?
    var updatedAt: Date?

    init(_ note: CareNote) throws {
        id = try note.requireID()
        customerId = note.$customer.id
        kind = note.kind
        text = note.text
        guidance = note.guidance
        authorId = note.authorID
        reviewOn = note.reviewOn
        retiredAt = note.retiredAt
        createdAt = note.createdAt
        updatedAt = note.updatedAt
    }
}

struct CareNoteCreateRequest: Content {
    var kind: CareNote.Kind
    var text: String
    var guidance: String?
    var reviewOn: String?
}

struct CareNoteUpdateRequest: Content {
    var kind: CareNote.Kind?
    var text: String?
    var guidance: String?
    var reviewOn: String?
}

/// Care notes: reps of the customer's program add them; supervisors edit and retire them. Reading is for
/// members of the program only (not even admins from outside it), and every read and change is audited.
struct CareNoteController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("customers", ":customerID", "care-notes", use: list)
        routes.post("customers", ":customerID", "care-notes", use: create)
        routes.patch("care-notes", ":careNoteID", use: update)
        routes.post("care-notes", ":careNoteID", "retire", use: retire)
    }

    @Sendable func list(req: Request) async throws -> ItemPage<CareNoteDTO> {
        let principal = try req.requirePrincipal()
        let customer = try await CareNote.memberCustomer(
            try req.uuidParameter("customerID", "Customer"), principal, on: req.db)
        let notes = try await CareNote.query(on: req.db).filter(\.$customer.$id == customer.requireID())
            .sort(\.$createdAt, .descending).all()
        try await AuditEntry.record(
            on: req.db, at: req.now, actor: principal.userID, action: "care-notes.read", recordType: "customer",
            recordID: customer.id, programID: customer.$program.id, detail: "\(notes.count) note(s)")
        return ItemPage(items: try notes.map(CareNoteDTO.init), nextCursor: nil)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let customer = try await CareNote.memberCustomer(
            try req.uuidParameter("customerID", "Customer"), principal, on: req.db)
        let body = try req.decodeStrict(CareNoteCreateRequest.self)
        let note = try await CareNote.add(
            to: customer, kind: body.kind, text: body.text, guidance: body.guidance, reviewOn: body.reviewOn,
            author: principal, now: req.now, on: req.db)
        return try await CareNoteDTO(note).created(
            at: "/api/v1/customers/\(try customer.requireID().lowercaseText)/care-notes", for: req)
    }

    @Sendable func update(req: Request) async throws -> CareNoteDTO {
        let principal = try req.requirePrincipal()
        let note = try await CareNote.memberNote(
            try req.uuidParameter("careNoteID", "Care note"), principal, on: req.db)
        try principal.require(.supervisor)
        let body = try req.decodeStrict(CareNoteUpdateRequest.self)
        let fields = try CareNote.validate(
            text: body.text ?? note.text, guidance: body.guidance ?? note.guidance,
            reviewOn: body.reviewOn ?? note.reviewOn)
        note.kind = body.kind ?? note.kind
        note.text = fields.text
        note.guidance = fields.guidance
        note.reviewOn = fields.reviewOn
        try await note.save(on: req.db)
        try await AuditEntry.record(
            on: req.db, at: req.now, actor: principal.userID, action: "care-note.changed", recordType: "care_note",
            recordID: note.id, programID: note.programID)
        return try CareNoteDTO(note)
    }

    @Sendable func retire(req: Request) async throws -> CareNoteDTO {
        let principal = try req.requirePrincipal()
        let note = try await CareNote.memberNote(
            try req.uuidParameter("careNoteID", "Care note"), principal, on: req.db)
        try principal.require(.supervisor)
        try await note.retire(by: principal, now: req.now, on: req.db)
        return try CareNoteDTO(note)
    }
}

extension CareNote {
    /// The customer, if the principal is a member of its program (care notes are for members only).
    static func memberCustomer(_ id: UUID, _ principal: Principal, on db: any Database) async throws -> Customer {
        guard let customer = try await Customer.find(id, on: db), principal.programIDs.contains(customer.$program.id)
        else {
            throw NotFound("Customer")
        }
        return customer
    }

    static func memberNote(_ id: UUID, _ principal: Principal, on db: any Database) async throws -> CareNote {
        guard let note = try await CareNote.find(id, on: db), principal.programIDs.contains(note.programID) else {
            throw NotFound("Care note")
        }
        return note
    }

    static func validate(
        text: String?, guidance: String?, reviewOn: String?
    ) throws(ValidationFailure) -> (text: String, guidance: String, reviewOn: String?) {
        var v = FieldValidator()
        let text = v.text(text, "text", maxLength: 2000)
        let guidance = v.text(guidance, "guidance", required: false, maxLength: 2000) ?? ""
        let review = v.text(reviewOn, "reviewOn", required: false, maxLength: 10)
        if let review {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "yyyy-MM-dd"
            if formatter.date(from: review) == nil { v.add("reviewOn", "must be a date like 2027-03-01") }
        }
        try v.finish()
        return (text ?? "", guidance, review)
    }

    static func add(
        to customer: Customer, kind: Kind, text: String?, guidance: String?, reviewOn: String?, author: Principal,
        now: Date, on db: any Database
    ) async throws -> CareNote {
        let fields = try validate(text: text, guidance: guidance, reviewOn: reviewOn)
        let note = CareNote()
        note.programID = customer.$program.id
        note.$customer.id = try customer.requireID()
        note.kind = kind
        note.text = fields.text
        note.guidance = fields.guidance
        note.reviewOn = fields.reviewOn
        note.authorID = author.userID
        try await note.create(on: db)
        try await AuditEntry.record(
            on: db, at: now, actor: author.userID, action: "care-note.added", recordType: "care_note",
            recordID: note.id, programID: note.programID, detail: kind.rawValue)
        return note
    }

    func retire(by principal: Principal, now: Date, on db: any Database) async throws {
        guard retiredAt == nil else { return }
        retiredAt = now
        retiredByID = principal.userID
        try await save(on: db)
        try await AuditEntry.record(
            on: db, at: now, actor: principal.userID, action: "care-note.retired", recordType: "care_note",
            recordID: id, programID: programID)
    }
}
