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
        let db = req.db
        let now = req.now
        guard let context = try await req.application.cached.programs.context(code: code, on: db, now: now),
            principal.canSee(program: context.id)
        else { throw NotFound("Program '\(code)'") }
        return try await RecognitionLookup.recognise(
            program: context.program, settings: context.settings, principal: principal,
            phone: query["phone"], customerNumber: query["customerNumber"], email: query["email"],
            handle: query["handle"],
            now: now, sources: req.application.cardSources, on: db
        ).jsonResponse()
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
