import DaymakerCore
import Fluent
import Vapor

/// Presence and shifts: `GET /api/v1/presence?program=`, `PUT /api/v1/users/{id}/presence` and
/// `GET`/`PUT /api/v1/users/{id}/shifts`.
struct PresenceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("presence", use: board)
        routes.put("users", ":userID", "presence", use: choose)
        routes.get("users", ":userID", "shifts", use: shifts)
        routes.put("users", ":userID", "shifts", use: replaceShifts)
    }

    /// The program's members with presence and shifts, for the desk and the supervisor view.
    @Sendable func board(req: Request) async throws -> ItemPage<PresenceBoardEntry> {
        let principal = try req.requirePrincipal()
        let program = try await Self.program(QueryParameters(req.url.query)["program"], principal, on: req.db)
        let now = req.now
        let entries = try await RepPresence.board(program, on: req.db).map {
            try PresenceBoardEntry(user: $0.0, presence: $0.1, plan: $0.2, now: now)
        }
        return ItemPage(items: entries, nextCursor: nil)
    }

    @Sendable func choose(req: Request) async throws -> PresenceDTO {
        let principal = try req.requirePrincipal()
        let user = try await UserController.visibleUser(req, principal)
        let body = try req.decodeStrict(PresenceRequest.self)
        let record = try await RepPresence.choose(body.state, for: user, by: principal, now: req.now, on: req.db)
        let userID = try user.requireID()
        try await RepPresence.announce(userID, became: body.state, app: req.application, now: req.now)
        return PresenceDTO(userID: userID, record)
    }

    @Sendable func shifts(req: Request) async throws -> ShiftsDTO {
        let principal = try req.requirePrincipal()
        let user = try await UserController.visibleUser(req, principal)
        let program = try await Self.program(QueryParameters(req.url.query)["program"], principal, on: req.db)
        let userID = try user.requireID()
        let plan = try await RepPresence.shifts(of: userID, in: program, on: req.db)
        return ShiftsDTO(userID: userID, program: program, plan: plan, now: req.now)
    }

    @Sendable func replaceShifts(req: Request) async throws -> ShiftsDTO {
        let principal = try req.requirePrincipal()
        let user = try await UserController.visibleUser(req, principal)
        let body = try req.decodeStrict(ShiftsRequest.self)
        let program = try await Self.program(body.program, principal, on: req.db)
        var v = FieldValidator()
        let shifts = body.shifts.enumerated().compactMap { $1.shift(field: "shifts[\($0)]", into: &v) }
        try v.finish()
        try await RepPresence.replaceShifts(shifts, of: user, in: program, by: principal, now: req.now, on: req.db)
        let userID = try user.requireID()
        let plan = try await RepPresence.shifts(of: userID, in: program, on: req.db)
        return ShiftsDTO(userID: userID, program: program, plan: plan, now: req.now)
    }

    private static func program(_ code: String?, _ principal: Principal, on db: any Database) async throws -> Program {
        guard let code = code?.nilIfBlank else { throw ValidationFailure(field: "program", "is required") }
        return try await Program.visible(code: code, to: principal, on: db)
    }
}
