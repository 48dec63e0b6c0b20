import DaymakerCore
import Fluent
import Vapor

/// `GET /api/v1/recognition` and the per-program recognition settings.
struct RecognitionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("recognition") { req in req.onEventLoop { try await recognise(req: req) } }.allowingTelephony()
        routes.get("programs", ":programID", "recognition-settings", use: settings)
        routes.put("programs", ":programID", "recognition-settings", use: updateSettings)
    }

    @Sendable func recognise(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let query = QueryParameters(req.url.query)  // this route is called on every contact
        guard let code = query["program"]?.nilIfBlank else {
            throw ValidationFailure(field: "program", "is required")
        }
        let db = req.application.eventLoopDatabases?.database(for: req) ?? req.db
        let now = req.now
        guard let context = try await req.application.cached.programs.context(code: code, on: db, now: now),
            principal.canSee(program: context.id)
        else { throw NotFound("Program '\(code)'") }
        return try await Self.recognise(
            program: context.program, settings: context.settings, principal: principal,
            phone: query["phone"], customerNumber: query["customerNumber"], email: query["email"], handle: query["handle"],
            now: now, repNames: req.application.cached.repNames, on: db
        ).jsonResponse()
    }

    /// Identifies the person and builds their cards (shared by the API and the desk).
    static func recognise(
        program: Program, settings: RecognitionSettings, principal: Principal, phone: String?, customerNumber: String?,
        email: String?, handle: String?, now: Date, repNames: RepNameCache, on db: any Database
    ) async throws -> RecognitionResponse {
        let programID = try program.requireID()
        let (identifier, shown) = try RecognitionLookup.identifier(
            phone: phone, customerNumber: customerNumber, email: email, handle: handle, country: program.country)
        var people: [RecognitionCard.Candidate] = []
        if let identifier {
            people = try await RecognitionCard.people(identifier, programID: programID, settings: settings, now: now, on: db)
        }
        let cards = try await RecognitionCard.build(
            for: people, program: program, settings: settings, reader: principal, now: now, repNames: repNames, on: db)
        let policy = RecognitionPolicy(settings: settings, timeZone: program.zone)
        return RecognitionResponse(
            identifier: shown, matches: cards,
            newCallerGreeting: cards.isEmpty
                ? policy.greeting(name: nil, assessment: nil, rep: principal.displayName, program: program.name) : nil)
    }

    @Sendable func settings(req: Request) async throws -> RecognitionSettings {
        let principal = try req.requirePrincipal()
        let program = try await ProgramController.visibleProgram(req, principal)
        return try await RecognitionSettings.load(programID: try program.requireID(), on: req.db)
    }

    @Sendable func updateSettings(req: Request) async throws -> RecognitionSettings {
        let principal = try req.requirePrincipal()
        let program = try await ProgramController.visibleProgram(req, principal)
        try principal.require(.supervisor)
        let settings = try req.decodeStrict(RecognitionSettings.self)
        try await settings.save(programID: try program.requireID(), actor: principal.userID, now: req.now, on: req.db)
        await req.publish(.programChanged(try program.requireID()))
        return try settings.validated()
    }
}

extension RecognitionSettings: Content {}
