import DaymakerCore
import Fluent
import Vapor

/// `/api/v1/bookings`: what is booked for customers, its confirmation, and CSV import.
struct BookingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("bookings", use: create)
        routes.on(.POST, "bookings", "import", body: .collect(maxSize: Limits.importBody), use: importCSV)
        routes.get("bookings", ":bookingID", use: show)
        routes.patch("bookings", ":bookingID", use: update)
        routes.post("bookings", ":bookingID", "confirm", use: confirm)
        routes.get("customers", ":customerID", "bookings", use: list)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(BookingCreateRequest.self)
        guard let customer = try await Customer.find(body.customerId, on: req.db),
            principal.canSee(program: customer.$program.id)
        else {
            throw NotFound("Customer")
        }
        let booking = try await Booking.record(body, for: customer, on: req.db)
        let code = try await customer.$program.get(on: req.db).code
        return try await BookingDTO(booking, programCode: code)
            .created(at: "/api/v1/bookings/\(try booking.requireID().lowercaseText)", for: req)
    }

    @Sendable func show(req: Request) async throws -> BookingDTO {
        let principal = try req.requirePrincipal()
        let booking = try await Booking.visible(
            try req.uuidParameter("bookingID", "Booking"), to: principal, on: req.db)
        return try await Self.dto(booking, on: req.db)
    }

    @Sendable func update(req: Request) async throws -> BookingDTO {
        let principal = try req.requirePrincipal()
        let booking = try await Booking.visible(
            try req.uuidParameter("bookingID", "Booking"), to: principal, on: req.db)
        let body = try req.decodeStrict(BookingUpdateRequest.self)
        let draft = try Booking.Draft.validate(
            kind: body.kind ?? booking.kind, startsAt: body.startsAt ?? booking.startsAt,
            pickUp: body.pickUp ?? booking.pickUp, dropOff: body.dropOff ?? booking.dropOff,
            notes: body.notes ?? booking.notes, status: body.status ?? booking.status)
        booking.apply(draft)
        try await booking.save(on: req.db)
        return try await Self.dto(booking, on: req.db)
    }

    @Sendable func confirm(req: Request) async throws -> BookingDTO {
        let principal = try req.requirePrincipal()
        let booking = try await Booking.visible(
            try req.uuidParameter("bookingID", "Booking"), to: principal, on: req.db)
        let body =
            req.body.data == nil
            ? BookingConfirmRequest(contactId: nil) : try req.decodeStrict(BookingConfirmRequest.self)
        let program = try await Program.find(booking.programID, on: req.db)
        try await booking.confirm(
            by: principal, contactID: body.contactId, now: req.now, zone: program?.zone ?? .gmt, on: req.db)
        return try await Self.dto(booking, on: req.db)
    }

    @Sendable func list(req: Request) async throws -> ItemPage<BookingDTO> {
        let principal = try req.requirePrincipal()
        let customer = try await Customer.visible(
            try req.uuidParameter("customerID", "Customer"), to: principal, on: req.db)
        let code = try await customer.$program.get(on: req.db).code
        let bookings = try await Booking.query(on: req.db).filter(\.$customer.$id == customer.requireID())
            .sort(\.$startsAt, .descending).limit(100).all()
        return ItemPage(items: try bookings.map { try BookingDTO($0, programCode: code) }, nextCursor: nil)
    }

    @Sendable func importCSV(req: Request) async throws -> ImportReport {
        let principal = try req.requirePrincipal()
        guard let code = req.query[String.self, at: "program"]?.nilIfBlank else {
            throw ValidationFailure(field: "program", "is required")
        }
        let program = try await Program.visible(code: code, to: principal, on: req.db)
        guard let buffer = req.body.data else {
            throw Problem.badRequest("Send the CSV file as the request body (Content-Type: text/csv).")
        }
        let report = try await BookingImport.run(csv: Array(buffer.readableBytesView), program: program, on: req.db)
        try await AuditEntry.record(
            on: req.db, at: req.now, actor: principal.userID, action: "bookings.imported", recordType: "program",
            recordID: program.id,
            programID: program.id,
            detail:
                "\(report.created) created, \(report.updated) updated, \(report.unchanged) unchanged, \(report.rejected.count) rejected"
        )
        return report
    }

    private static func dto(_ booking: Booking, on db: any Database) async throws -> BookingDTO {
        let code = try await Program.find(booking.programID, on: db)?.code ?? ""
        return try BookingDTO(booking, programCode: code)
    }
}
