import DaymakerCore
import Fluent
import Vapor

/// `POST /api/v1/kudos`: a member thanks another member of the program. `GET /api/v1/reps/{id}/wall`: the rep's
/// wall of thanks, days made and CSAT by week (the rep, their supervisors, admins).
struct KudosController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("kudos", use: give)
        routes.get("reps", ":userID", "wall", use: wall)
    }

    @Sendable func give(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(KudosRequest.self)
        let kudos = try await KudosWall.give(body, by: principal, now: req.now, on: req.db)
        await req.publish(.messageLeft(kudos.repID))
        return try await KudosDTO(
            id: kudos.requireID(), program: body.program.uppercased(), repId: kudos.repID, source: kudos.source,
            from: kudos.fromName, text: kudos.text, contactId: kudos.contactID, createdAt: kudos.createdAt,
            redacted: false
        ).created(at: "/api/v1/reps/\(kudos.repID.lowercaseText)/wall", for: req)
    }

    @Sendable func wall(req: Request) async throws -> RepWallDTO {
        let principal = try req.requirePrincipal()
        return try await KudosWall.wall(
            of: try req.uuidParameter("userID", "Rep"), for: principal, now: req.now, on: req.db)
    }
}

/// The rep's wall page, and thanking a teammate from the desk or a wall.
struct KudosPages: RouteCollection {
    struct WallView: Encodable {
        let wall: RepWallDTO
        let mine: Bool
        let kudos: [Line]
        let programs: [FormChoice]
        let notice: String?
    }

    struct Line: Encodable {
        let heading: String
        let text: String
        let when: String
        let program: String
        let redacted: Bool
        /// A recorded thank-you to listen to ("" for none).
        let recording: String
    }

    struct KudosForm: Content {
        var rep: UUID?
        var program: String?
        var text: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("reps", ":userID", use: show)
        routes.post("kudos", use: give)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let rep = try req.uuidParameter("userID", "Rep")
        let wall = try await KudosWall.wall(of: rep, for: principal, now: req.now, on: req.db)
        let zone = try await Program.visible(to: principal, on: req.db).first?.zone ?? .gmt
        let shared = try await Self.sharedPrograms(principal, rep, on: req.db)
        return try await req.page(
            "feedback/wall", title: wall.rep, section: "desk",
            WallView(
                wall: wall, mine: rep == principal.userID,
                kudos: wall.kudos.map { kudos in
                    Line(
                        heading: kudos.source == .customer ? "\(kudos.from) thanked \(wall.rep)" : "From \(kudos.from)",
                        text: kudos.text, when: DisplayTime.format(kudos.createdAt, in: zone), program: kudos.program,
                        redacted: kudos.redacted, recording: kudos.recordingUrl ?? "")
                },
                programs: rep == principal.userID
                    ? [] : shared.map { FormChoice(value: $0.code, label: $0.name, checked: false) },
                notice: req.notice))
    }

    /// Thanks a teammate: in the program named, or the first one both work in.
    @Sendable func give(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(KudosForm.self)
        guard let rep = form.rep else { throw ValidationFailure(field: "rep", "choose whom to thank") }
        let shared = try await Self.sharedPrograms(principal, rep, on: req.db)
        guard let program = shared.first(where: { $0.code == form.program?.uppercased() }) ?? shared.first else {
            throw ValidationFailure(field: "rep", "is not in any of your programs")
        }
        let kudos = try await KudosWall.give(
            KudosRequest(program: program.code, repId: rep, text: form.text ?? ""), by: principal, now: req.now,
            on: req.db)
        await req.publish(.messageLeft(kudos.repID))
        return req.seeOther(principal.role >= .supervisor ? "/reps/\(rep.lowercaseText)" : "/desk", notice: .kudosSent)
    }

    /// The programs the principal sees that the rep belongs to, by code.
    static func sharedPrograms(_ principal: Principal, _ rep: UUID, on db: any Database) async throws -> [Program] {
        let theirs = Set(try await ProgramMembership.query(on: db).filter(\.$user.$id == rep).all(\.$program.$id))
        return try await Program.visible(to: principal, on: db).filter { $0.id.map(theirs.contains) == true }
    }
}
