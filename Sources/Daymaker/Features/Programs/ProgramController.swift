import DaymakerCore
import Fluent
import Vapor

/// A program as the API shows it.
struct ProgramDTO: Content, Equatable {
    @LowercaseID var id: UUID
    var code: String
    var name: String
    var timeZone: String
    var country: String

    init(_ program: Program) throws {
        id = try program.requireID()
        code = program.code
        name = program.name
        timeZone = program.timeZone
        country = program.country
    }
}

struct ProgramCreateRequest: Content {
    var code: String
    var name: String
    var timeZone: String
    var country: String
}

struct ProgramUpdateRequest: Content {
    var name: String?
    var timeZone: String?
    var country: String?
}

/// `/api/v1/programs`: everyone sees their own programs; admins create and change them.
struct ProgramController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let programs = routes.grouped("programs")
        programs.get(use: list)
        programs.post(use: create)
        programs.get(":programID", use: show)
        programs.patch(":programID", use: update)
    }

    @Sendable func list(req: Request) async throws -> ItemPage<ProgramDTO> {
        let principal = try req.requirePrincipal()
        return ItemPage(
            items: try await Program.visible(to: principal, on: req.db).map(ProgramDTO.init), nextCursor: nil)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.admin)
        let body = try req.decodeStrict(ProgramCreateRequest.self)
        let program = try await Program.create(
            code: body.code, name: body.name, timeZone: body.timeZone, country: body.country,
            actor: principal.userID, now: req.now, on: req.db)
        return try await ProgramDTO(program).created(
            at: "/api/v1/programs/\(try program.requireID().lowercaseText)", for: req)
    }

    @Sendable func show(req: Request) async throws -> ProgramDTO {
        let principal = try req.requirePrincipal()
        return try ProgramDTO(try await Self.visibleProgram(req, principal))
    }

    @Sendable func update(req: Request) async throws -> ProgramDTO {
        let principal = try req.requirePrincipal()
        let program = try await Self.visibleProgram(req, principal)
        try principal.require(.admin)
        let body = try req.decodeStrict(ProgramUpdateRequest.self)
        var v = FieldValidator()
        let name = v.text(body.name ?? program.name, "name", maxLength: 120)
        let zone = ProgramRules.timeZone(body.timeZone ?? program.timeZone, into: &v)
        let country = ProgramRules.country(body.country ?? program.country, into: &v)
        try v.finish()
        program.name = name ?? program.name
        program.timeZone = zone ?? program.timeZone
        program.country = country ?? program.country
        try await program.save(on: req.db)
        await req.publish(.programChanged(try program.requireID()))
        return try ProgramDTO(program)
    }

    static func visibleProgram(_ req: Request, _ principal: Principal) async throws -> Program {
        let id = try req.uuidParameter("programID", "Program")
        guard let program = try await Program.find(id, on: req.db), principal.canSee(program: id) else {
            throw NotFound("Program")
        }
        return program
    }

    /// The program in the path, for an admin who may see it (its connections to providers).
    static func administeredProgram(_ req: Request) async throws -> (Program, Principal) {
        let principal = try req.requirePrincipal()
        let program = try await visibleProgram(req, principal)
        try principal.require(.admin)
        return (program, principal)
    }
}

extension Program {
    /// Validates and creates a program (API, admin page and command line).
    static func create(
        code: String?, name: String?, timeZone: String?, country: String?, actor: UUID?, now: Date,
        on db: any Database
    ) async throws -> Program {
        var v = FieldValidator()
        let code = ProgramRules.code(code, into: &v)
        let name = v.text(name, "name", maxLength: 120)
        let zone = ProgramRules.timeZone(timeZone, into: &v)
        let country = ProgramRules.country(country, into: &v)
        try v.finish()
        guard let code, let name, let zone, let country else { throw ValidationFailure(field: "code", "is required") }
        if try await Program.find(code: code, on: db) != nil {
            throw ProgramError.codeTaken(code)
        }
        let program = Program(code: code, name: name, timeZone: zone, country: country)
        try await program.create(on: db)
        try await AuditEntry.record(
            on: db, at: now, actor: actor, action: "program.created", recordType: "program",
            recordID: program.id, programID: program.id, detail: code)
        return program
    }
}
