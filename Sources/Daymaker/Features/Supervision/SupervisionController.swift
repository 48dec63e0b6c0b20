import DaymakerCore
import Fluent
import Vapor

/// `GET /api/v1/programs/{id}/board`: the program's queue and reps now (supervisors).
struct SupervisionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("programs", ":programID", "board", use: board)
    }

    @Sendable func board(req: Request) async throws -> QueueBoard {
        let principal = try req.requirePrincipal()
        let program = try await ProgramController.visibleProgram(req, principal)
        try principal.require(.supervisor)
        return try await QueueBoard.load(program, now: req.now, on: req.db)
    }
}

/// `/supervisor`: every board of the supervisor's programs, kept live over `/supervisor/live`.
struct SupervisorPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let supervisors = routes.grouped(SupervisorsOnly())
        supervisors.get("supervisor", use: show)
        supervisors.post("supervisor", "surveys", ":surveyID", "callback", use: callBack)
        supervisors.grouped(DeskLive.SameOrigin()).webSocket("supervisor", "live") { req, ws in
            await Self.serve(req, ws)
        }
    }

    /// Refuses reps before anything is read or a WebSocket is opened.
    struct SupervisorsOnly: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            try request.requirePrincipal().require(.supervisor)
            return try await next.respond(to: request)
        }
    }

    /// What the page and each live message carry.
    struct Boards: Content, Equatable {
        var type = "boards"
        /// The server's time, so the page's clocks count on it.
        var now: Date
        var boards: [QueueBoard]
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let boards = try await Self.boards(for: principal, now: req.now, on: req.db)
        return try await req.page(
            "supervisor/boards", title: "Live queues", section: "supervisor",
            BoardsView(boards.boards, now: req.now, notice: req.notice))
    }

    /// "Call back" on a survey alert: a callback for this supervisor, and the alert handled.
    @Sendable func callBack(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let callback = try await Surveys.callBack(
            try req.uuidParameter("surveyID", "Survey"), by: principal, now: req.now, on: req.db)
        await req.publish(.queueChanged(callback.programID))
        return req.seeOther("/supervisor", notice: .surveyCallbackBooked)
    }

    static func boards(for principal: Principal, now: Date, on db: any Database) async throws -> Boards {
        var boards: [QueueBoard] = []
        for program in try await Program.visible(to: principal, on: db) {
            boards.append(try await QueueBoard.load(program, now: now, on: db))
        }
        return Boards(now: now, boards: boards)
    }

    /// Sends the boards on connect and after the queues, presence or offers change.
    private static func serve(_ req: Request, _ ws: WebSocket) async {
        guard let principal = req.principal else {
            try? await ws.close(code: .policyViolation)
            return
        }
        let app = req.application
        LiveSocket.serve(ws, app: app) { event in
            switch event {
            case .queueChanged, .presenceChanged, .offerChanged: true
            default: false
            }
        } view: {
            try await Self.boards(for: principal, now: app.clock.now, on: app.db)
        }
    }
}

/// The boards as the page shows them without JavaScript (the script then keeps them live from the same data).
struct BoardsView: Encodable {
    struct Board: Encodable {
        var code: String
        var name: String
        var waiting: Int
        var longestSince: String?
        var longestWait: String
        var serviceLevel: String
        var answered: Int
        var abandoned: Int
        var target: Int
        var reps: [Rep]
        var alerts: [QueueBoard.SurveyAlert]
        var hardContacts: [HardContact]
    }

    struct HardContact: Encodable {
        var rep: String
        var flag: String
        var customer: String
        var at: String
    }

    struct Rep: Encodable {
        /// Their wall of thanks.
        var wall: String
        var name: String
        var presence: String
        var since: String?
        var inState: String
        var contact: String
    }

    var now: String
    var boards: [Board]
    var notice: String?

    init(_ boards: [QueueBoard], now: Date, notice: String? = nil) {
        self.notice = notice
        let iso = ISO8601DateFormatter()
        self.now = iso.string(from: now)
        self.boards = boards.map { board in
            Board(
                code: board.program, name: board.programName, waiting: board.waiting,
                longestSince: board.longestWaitingSince.map(iso.string(from:)),
                longestWait: board.longestWaitingSince.map { Self.elapsed(since: $0, now: now) } ?? "—",
                serviceLevel: board.today.serviceLevel.map { "\($0) %" } ?? "—", answered: board.today.answered,
                abandoned: board.today.abandoned, target: board.today.targetAnswerSeconds,
                reps: board.reps.map { rep in
                    Rep(
                        wall: "/reps/\(rep.userId.lowercaseText)", name: rep.displayName,
                        presence: rep.presence.rawValue, since: rep.since.map(iso.string(from:)),
                        inState: rep.since.map { Self.elapsed(since: $0, now: now) } ?? "—",
                        contact: rep.contact.map {
                            [$0.customerName ?? "Unknown caller", $0.channel.rawValue].joined(separator: " · ")
                        }
                            ?? "")
                },
                alerts: board.alerts,
                hardContacts: board.hardContacts.map {
                    HardContact(
                        rep: $0.rep ?? "", flag: $0.flag.rawValue, customer: $0.customerName ?? "a caller",
                        at: Self.elapsed(since: $0.at, now: now))
                })
        }
    }

    /// "4:05", "1:02:09".
    static func elapsed(since: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(since)))
        let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}
