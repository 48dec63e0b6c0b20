import DaymakerCore
import Fluent
import Vapor

struct IncidentDeclareRequest: Content {
    var programs: [String]
    var title: String
    var publicMessage: String
    var ivrMessage: String
    var emailReply: String?
    var channels: [String]?
}

struct IncidentUpdateRequest: Content {
    var message: String
    var title: String?
    var publicMessage: String?
    var ivrMessage: String?
    var emailReply: String?
}

struct IncidentResolveRequest: Content {
    var message: String?
}

/// An incident as the API shows it, with its history oldest first.
struct IncidentDTO: Content {
    @LowercaseID var id: UUID
    var programs: [String]
    var title: String
    var publicMessage: String
    var ivrMessage: String
    var emailReply: String?
    var channels: [String]
    var state: String
    var declaredAt: Date
    var resolvedAt: Date?
    var updatedAt: Date
    var updates: [Update]

    struct Update: Content {
        var kind: IncidentUpdate.Kind
        var message: String
        var at: Date
        @LowercaseID var authorId: UUID?
    }

    /// `codes` names the programs by id; an incident's programs the viewer cannot see are left out.
    init(_ incident: Incident, codes: [UUID: String]) throws {
        id = try incident.requireID()
        programs = incident.programs.compactMap { codes[$0.programID] }.sorted()
        title = incident.title
        publicMessage = incident.publicMessage
        ivrMessage = incident.ivrMessage
        emailReply = incident.emailReply
        channels = incident.channels.map(\.rawValue)
        state = incident.isActive ? "active" : "resolved"
        declaredAt = incident.declaredAt
        resolvedAt = incident.resolvedAt
        updatedAt = incident.updatedAt
        updates = incident.updates.sorted { $0.seq < $1.seq }.map {
            Update(kind: $0.kind, message: $0.message, at: $0.at, authorId: $0.authorID)
        }
    }
}

/// The message an IVR or PBX plays for a program now.
struct IVRAnnouncementDTO: Content {
    var program: String
    var active: Bool
    @LowercaseID var incidentId: UUID?
    var message: String?
    var updatedAt: Date?
}

/// Incidents: supervisors of every program an incident touches declare, update and resolve it; members of
/// those programs read it. Any principal of a program reads its IVR announcement, a PBX's `telephony` token too.
struct IncidentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("incidents", use: list)
        routes.post("incidents", use: declare)
        routes.get("incidents", ":incidentID", use: show)
        routes.post("incidents", ":incidentID", "updates", use: update)
        routes.post("incidents", ":incidentID", "resolve", use: resolve)
        routes.get("ivr", "announcement", use: announcement).allowingTelephony()
    }

    @Sendable func list(req: Request) async throws -> ItemPage<IncidentDTO> {
        let principal = try req.requirePrincipal()
        let limit = try PageRequest.limit(req)
        let rawState = req.query[String.self, at: "state"] ?? "all"
        guard let state = Incidents.State(rawValue: rawState) else {
            throw ValidationFailure(field: "state", "must be active, resolved or all")
        }
        var programs = principal.visiblePrograms
        if let code = req.query[String.self, at: "program"]?.nilIfBlank {
            programs = [try await Program.visible(code: code, to: principal, on: req.db).requireID()]
        }
        let incidents = try await Incidents.list(within: programs, state: state, limit: limit, on: req.db)
        let codes = try await Self.codes(for: principal, on: req.db)
        return ItemPage(items: try incidents.map { try IncidentDTO($0, codes: codes) }, nextCursor: nil)
    }

    @Sendable func declare(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        let body = try req.decodeStrict(IncidentDeclareRequest.self)
        let declaration = try await Incidents.declaration(
            programs: body.programs, title: body.title, publicMessage: body.publicMessage,
            ivrMessage: body.ivrMessage, emailReply: body.emailReply, channels: body.channels, by: principal,
            on: req.db)
        let declared = try await Incidents.declare(
            programs: declaration.programs, messages: declaration.messages, channels: declaration.channels,
            by: principal.userID, now: req.now, on: req.db)
        let incident = try await Incidents.find(try declared.requireID(), within: nil, on: req.db)
        return try await IncidentDTO(incident, codes: try await Self.codes(for: principal, on: req.db))
            .created(at: "/api/v1/incidents/\(try declared.requireID().lowercaseText)", for: req)
    }

    @Sendable func show(req: Request) async throws -> IncidentDTO {
        let principal = try req.requirePrincipal()
        let incident = try await Incidents.find(
            try req.uuidParameter("incidentID", "Incident"), within: principal.visiblePrograms, on: req.db)
        return try IncidentDTO(incident, codes: try await Self.codes(for: principal, on: req.db))
    }

    @Sendable func update(req: Request) async throws -> IncidentDTO {
        let (principal, incident) = try await Self.changeable(req)
        let body = try req.decodeStrict(IncidentUpdateRequest.self)
        let text = try IncidentMessages.update(body.message)
        let changes = [body.title, body.publicMessage, body.ivrMessage, body.emailReply].contains { $0 != nil }
        let messages =
            changes
            ? try incident.messages.changed(
                title: body.title, publicMessage: body.publicMessage, ivrMessage: body.ivrMessage,
                emailReply: body.emailReply)
            : nil
        try await Incidents.post(text, messages: messages, to: incident, by: principal.userID, now: req.now, on: req.db)
        return try await Self.reloaded(incident, for: principal, on: req.db)
    }

    @Sendable func resolve(req: Request) async throws -> IncidentDTO {
        let (principal, incident) = try await Self.changeable(req)
        let body = try req.decodeStrict(IncidentResolveRequest.self)
        let message = try body.message.map { (text) throws(ValidationFailure) in try IncidentMessages.update(text) }
        try await Incidents.resolve(incident, message: message, by: principal.userID, now: req.now, on: req.db)
        return try await Self.reloaded(incident, for: principal, on: req.db)
    }

    @Sendable func announcement(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard let code = req.query[String.self, at: "program"]?.nilIfBlank else {
            throw ValidationFailure(field: "program", "is required: the program's code")
        }
        let program = try await Program.visible(code: code, to: principal, on: req.db)
        let incident = try await Incidents.current(program: try program.requireID(), channel: .voice, on: req.db)
        if Self.prefersText(req) {
            guard let incident else { return Response(status: .noContent) }
            let response = Response(status: .ok, body: .init(string: incident.ivrMessage))
            response.headers.contentType = .plainText
            return response
        }
        return try await IVRAnnouncementDTO(
            program: program.code, active: incident != nil, incidentId: incident?.id, message: incident?.ivrMessage,
            updatedAt: incident?.updatedAt
        ).encodeResponse(for: req)
    }

    /// Whether the caller asked for plain text before JSON (a PBX script reading the message as it is).
    private static func prefersText(_ req: Request) -> Bool {
        for media in req.headers.accept.mediaTypes {
            if media.type == "text", media.subType == "plain" { return true }
            if media.type == "application", media.subType == "json" { return false }
        }
        return false
    }

    private static func changeable(_ req: Request) async throws -> (Principal, Incident) {
        let principal = try req.requirePrincipal()
        let incident = try await Incidents.changeable(
            try req.uuidParameter("incidentID", "Incident"), by: principal, on: req.db)
        return (principal, incident)
    }

    private static func reloaded(
        _ incident: Incident, for principal: Principal, on db: any Database
    ) async throws -> IncidentDTO {
        try IncidentDTO(
            try await Incidents.find(try incident.requireID(), within: nil, on: db),
            codes: try await codes(for: principal, on: db))
    }

    /// The codes of the programs the principal sees, by id.
    private static func codes(for principal: Principal, on db: any Database) async throws -> [UUID: String] {
        Program.codes(try await Program.visible(to: principal, on: db))
    }
}
