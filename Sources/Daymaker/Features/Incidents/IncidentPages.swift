import DaymakerCore
import Fluent
import Vapor

/// The incident pages for supervisors: declare one for their programs, post updates and resolve it. The same
/// rules as the API (see `Incidents`); the command line does the same when the pages are what is down.
struct IncidentPages: RouteCollection {
    struct ListView: Encodable {
        struct Row: Encodable {
            let id: String
            let title: String
            let programs: String
            let active: Bool
            let declared: String
        }
        let incidents: [Row]
        let programs: [FormChoice]
        let channels: [FormChoice]
        let form: DeclareForm
        let errors: [FieldError]
        let notice: String?
    }

    struct DetailView: Encodable {
        let incident: IncidentDTO
        let declared: String
        let resolved: String?
        let updates: [Update]
        let changeable: Bool
        let form: UpdateForm
        let errors: [FieldError]
        let notice: String?

        struct Update: Encodable {
            let kind: String
            let message: String
            let time: String
        }
    }

    struct DeclareForm: Content {
        var programs: [String]?
        var title: String?
        var publicMessage: String?
        var ivrMessage: String?
        var emailReply: String?
        var channels: [String]?
    }

    struct UpdateForm: Content {
        var message: String?
        var publicMessage: String?
        var ivrMessage: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("incidents", use: list)
        routes.post("incidents", use: declare)
        routes.get("incidents", ":incidentID", use: show)
        routes.post("incidents", ":incidentID", "updates", use: update)
        routes.post("incidents", ":incidentID", "resolve", use: resolve)
    }

    private func supervisor(_ req: Request) throws -> Principal {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        return principal
    }

    @Sendable func list(req: Request) async throws -> Response {
        let principal = try supervisor(req)
        return try await renderList(
            req, principal, form: DeclareForm(channels: Contact.Channel.allCases.map(\.rawValue)), errors: [],
            notice: req.notice)
    }

    @Sendable func declare(req: Request) async throws -> Response {
        let principal = try supervisor(req)
        let form = try req.content.decode(DeclareForm.self)
        do {
            let declaration = try await Incidents.declaration(
                programs: form.programs ?? [], title: form.title, publicMessage: form.publicMessage,
                ivrMessage: form.ivrMessage, emailReply: form.emailReply, channels: form.channels,
                channelsRequired: true, by: principal, on: req.db)
            let incident = try await Incidents.declare(
                programs: declaration.programs, messages: declaration.messages, channels: declaration.channels,
                by: principal.userID, now: req.now, on: req.db)
            return req.seeOther("/incidents/\(try incident.requireID().lowercaseText)", notice: .incidentDeclared)
        } catch {
            guard let failure = FormFailure(error, field: "title") else { throw error }
            return try await renderList(
                req, principal, form: form, errors: failure.errors, notice: nil, status: failure.status)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try supervisor(req)
        return try await renderDetail(req, principal, form: UpdateForm(), errors: [], notice: req.notice)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let principal = try supervisor(req)
        let incident = try await Self.changeable(req, principal)
        let form = try req.content.decode(UpdateForm.self)
        do {
            let text = try IncidentMessages.update(form.message)
            let publicMessage = form.publicMessage?.nilIfBlank
            let ivrMessage = form.ivrMessage?.nilIfBlank
            let messages =
                publicMessage == nil && ivrMessage == nil
                ? nil
                : try incident.messages.changed(
                    title: nil, publicMessage: publicMessage, ivrMessage: ivrMessage, emailReply: nil)
            try await Incidents.post(
                text, messages: messages, to: incident, by: principal.userID, now: req.now, on: req.db)
            return req.seeOther("/incidents/\(try incident.requireID().lowercaseText)", notice: .incidentUpdated)
        } catch {
            guard let failure = FormFailure(error, field: "message") else { throw error }
            return try await renderDetail(
                req, principal, form: form, errors: failure.errors, notice: nil, status: failure.status)
        }
    }

    @Sendable func resolve(req: Request) async throws -> Response {
        let principal = try supervisor(req)
        let incident = try await Self.changeable(req, principal)
        let form = try req.content.decode(UpdateForm.self)
        do {
            let message = try form.message?.nilIfBlank.map { (text) throws(ValidationFailure) in
                try IncidentMessages.update(text)
            }
            try await Incidents.resolve(incident, message: message, by: principal.userID, now: req.now, on: req.db)
            return req.seeOther("/incidents/\(try incident.requireID().lowercaseText)", notice: .incidentResolved)
        } catch {
            guard let failure = FormFailure(error, field: "message") else { throw error }
            return try await renderDetail(
                req, principal, form: form, errors: failure.errors, notice: nil, status: failure.status)
        }
    }

    private static func changeable(_ req: Request, _ principal: Principal) async throws -> Incident {
        try await Incidents.changeable(try req.uuidParameter("incidentID", "Incident"), by: principal, on: req.db)
    }

    private func renderList(
        _ req: Request, _ principal: Principal, form: DeclareForm, errors: [FieldError], notice: String?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let programs = try await Program.visible(to: principal, on: req.db)
        let codes = Program.codes(programs)
        let incidents = try await Incidents.list(
            within: principal.visiblePrograms, state: .all, limit: 25, on: req.db)
        let zone = programs.first?.zone ?? .gmt
        let rows = try incidents.map { incident in
            ListView.Row(
                id: try incident.requireID().lowercaseText, title: incident.title,
                programs: incident.programs.compactMap { codes[$0.programID] }.sorted().joined(separator: ", "),
                active: incident.isActive, declared: DisplayTime.zoned(incident.declaredAt, in: zone))
        }
        return try await req.page(
            "incidents/list", title: "Incidents", section: "incidents",
            ListView(
                incidents: rows,
                programs: programs.map { .init(value: $0.code, checked: form.programs?.contains($0.code) ?? false) },
                channels: Contact.Channel.allCases.map {
                    .init(value: $0.rawValue, checked: form.channels?.contains($0.rawValue) ?? false)
                },
                form: form, errors: errors, notice: notice),
            status: status)
    }

    private func renderDetail(
        _ req: Request, _ principal: Principal, form: UpdateForm, errors: [FieldError], notice: String?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let incident = try await Incidents.find(
            try req.uuidParameter("incidentID", "Incident"), within: principal.visiblePrograms, on: req.db)
        let programs = try await Program.visible(to: principal, on: req.db)
        let codes = Program.codes(programs)
        let zone = programs.first { $0.id == incident.programs.first?.programID }?.zone ?? .gmt
        let dto = try IncidentDTO(incident, codes: codes)
        return try await req.page(
            "incidents/detail", title: incident.title, section: "incidents",
            DetailView(
                incident: dto, declared: DisplayTime.zoned(incident.declaredAt, in: zone),
                resolved: incident.resolvedAt.map { DisplayTime.zoned($0, in: zone) },
                updates: incident.updates.sorted { $0.seq > $1.seq }.map {
                    .init(kind: $0.kind.rawValue, message: $0.message, time: DisplayTime.zoned($0.at, in: zone))
                },
                changeable: incident.isActive
                    && incident.programs.allSatisfy { principal.canSee(program: $0.programID) },
                form: form, errors: errors, notice: notice),
            status: status)
    }
}
