import DaymakerCore
import Vapor

/// `GET /api/v1/programs/{id}/insights?from=&to=&rep=`: the program's supervisors (and admins); a rep, their own.
struct InsightsController: RouteCollection {
    struct Query: Content {
        var from: String?
        var to: String?
        var rep: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("programs", ":programID", "insights", use: show)
    }

    @Sendable func show(req: Request) async throws -> InsightsDTO {
        let principal = try req.requirePrincipal()
        let program = try await ProgramController.visibleProgram(req, principal)
        let asked = try req.query.decode(Query.self)
        var rep: UUID?
        if let text = asked.rep {
            guard let id = UUID(uuidString: text) else { throw ValidationFailure(field: "rep", "is not a user id") }
            rep = id
        }
        if rep != principal.userID { try principal.require(.supervisor) }
        // A day sent empty is refused here; the page reads an empty date field as the default.
        let range = try InsightRange.read(
            from: asked.from, to: asked.to, rep: rep, zone: program.zone, now: req.now)
        return try await Insights.dashboard(program, range, on: req.db)
    }
}
