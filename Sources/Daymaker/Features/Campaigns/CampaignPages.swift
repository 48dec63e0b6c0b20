import DaymakerCore
import Fluent
import Vapor

/// The campaign pages: supervisors generate a campaign after an outage; everyone in the program takes the next
/// call with its opener, records how it went, and watches the progress move (live over `/campaigns/{id}/live`).
struct CampaignPages: RouteCollection {
    struct GenerateForm: Content {
        var program: String?
        var incident: String?
        var from: String?
        var until: String?
        var title: String?
        var opener: String?
        var opens: String?
        var closes: String?
        var days: [Int]?
        var maxAttempts: String?
        var spacingMinutes: String?
        var claimMinutes: String?
    }

    struct OutcomeForm: Content {
        var outcome: String?
        var note: String?
        /// `YYYY-MM-DDTHH:MM` in the customer's zone (an HTML datetime-local input).
        var callLaterAt: String?
    }

    struct ListView: Encodable {
        struct Row: Encodable {
            let id: String
            let title: String
            let program: String
            let created: String
            let callable: Int
        }
        let campaigns: [Row]
        let supervisor: Bool
        let programs: [FormChoice]
        let incidents: [FormChoice]
        let days: [FormChoice]
        let form: GenerateForm
        let errors: [FieldError]
        let notice: String?
    }

    struct DetailView: Encodable {
        let campaign: CampaignDTO
        let progress: CampaignProgress
        let zone: String
        let created: String
        let window: String
        let hours: String
        let nextDue: String?
        let eta: String?
        let holding: Bool
        let uncallable: [CampaignCallDTO]
        let notice: String?
    }

    struct CallView: Encodable {
        let campaign: CampaignDTO
        let call: CampaignCallDTO
        let tel: String
        let localTime: String
        let lastAttempt: String
        let firstAttempt: String
        let outcomes: [FormChoice]
        let form: OutcomeForm
        let errors: [FieldError]
    }

    /// The figures a live message carries.
    struct Live: Content {
        var type = "progress"
        var progress: CampaignProgress
        var eta: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("campaigns", use: list)
        routes.post("campaigns", use: generate)
        routes.get("campaigns", ":campaignID", use: show)
        routes.post("campaigns", ":campaignID", "claim", use: claim)
        routes.get("campaigns", ":campaignID", "call", use: call)
        routes.post("campaigns", ":campaignID", "calls", ":callID", "outcome", use: outcome)
        routes.get("campaigns", ":campaignID", "export.csv", use: export)
        routes.grouped(DeskLive.SameOrigin(), Members()).webSocket("campaigns", ":campaignID", "live") { req, ws in
            await Self.serve(req, ws)
        }
    }

    /// Answers 404 before a WebSocket is opened to someone outside the campaign's program.
    struct Members: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            _ = try await CampaignController.campaign(request)
            return try await next.respond(to: request)
        }
    }

    @Sendable func list(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = GenerateForm(
            opener: OpenerScript.standard.text, opens: "09:00", closes: "20:00", days: [1, 2, 3, 4, 5],
            maxAttempts: "3", spacingMinutes: "120", claimMinutes: "15")
        return try await renderList(req, principal, form: form, errors: [], notice: req.notice)
    }

    @Sendable func generate(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        let form = try req.content.decode(GenerateForm.self)
        do {
            let request = try await Self.request(form, principal: principal, on: req.db)
            let (campaign, _) = try await Campaigns.generate(
                request, by: principal, now: req.now, events: req.application.events, on: req.db)
            return req.seeOther("/campaigns/\(try campaign.requireID().lowercaseText)", notice: .campaignGenerated)
        } catch {
            guard let failure = FormFailure(error, field: "incident") else { throw error }
            return try await renderList(
                req, principal, form: form, errors: failure.errors, notice: nil, status: failure.status)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (principal, campaign, program) = try await CampaignController.campaign(req)
        let progress = try await CampaignProgress.load(campaign, now: req.now, on: req.db)
        let zone = program.zone
        let uncallable = try await CampaignCall.query(on: req.db).filter(\.$campaignID == campaign.requireID())
            .filter(\.$state == .uncallable).sort(\.$firstAttemptAt).limit(200).all()
        let holding = try await Campaigns.held(by: principal.userID, in: campaign, now: req.now, on: req.db) != nil
        let window = campaign.window
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return try await req.page(
            "campaigns/detail", title: campaign.title, section: "campaigns",
            DetailView(
                campaign: try CampaignDTO(campaign, program: program.code, progress: progress),
                progress: progress, zone: zone.identifier, created: DisplayTime.zoned(campaign.createdAt, in: zone),
                window: DisplayTime.zoned(campaign.windowStart, in: zone) + " to "
                    + DisplayTime.zoned(campaign.windowEnd, in: zone),
                hours: window.days.map { names[$0 - 1] }.joined(separator: ", ")
                    + ", \(window.opensText)–\(window.closesText) in each customer's own time",
                nextDue: try await Campaigns.nextDue(campaign, now: req.now, on: req.db).map {
                    $0 <= req.now ? "now" : DisplayTime.zoned($0, in: zone)
                },
                eta: progress.estimatedCompletion.map { DisplayTime.zoned($0, in: zone) }, holding: holding,
                uncallable: try uncallable.map { try CampaignCallDTO($0, customers: [], script: nil) },
                notice: req.notice))
    }

    @Sendable func claim(req: Request) async throws -> Response {
        let (principal, campaign, _) = try await CampaignController.campaign(req)
        let path = "/campaigns/\(try campaign.requireID().lowercaseText)"
        guard
            try await Campaigns.claimNext(
                campaign, by: principal.userID, now: req.now, events: req.application.events, on: req.db) != nil
        else {
            return req.seeOther(path, notice: .nothingDue)
        }
        await req.publish(.campaignChanged(try campaign.requireID()))
        return req.seeOther(path + "/call")
    }

    @Sendable func call(req: Request) async throws -> Response {
        try await renderCall(req, form: OutcomeForm(), errors: [])
    }

    @Sendable func outcome(req: Request) async throws -> Response {
        let (principal, campaign, program) = try await CampaignController.campaign(req)
        let path = "/campaigns/\(try campaign.requireID().lowercaseText)"
        let form = try req.content.decode(OutcomeForm.self)
        let callID = try req.uuidParameter("callID", "Campaign call")
        do {
            let held = try await Campaigns.call(callID, in: campaign, on: req.db)
            let zone = TimeZones.named(held.zone) ?? program.zone
            guard let outcome = form.outcome.flatMap(CallbackOutcome.init(rawValue:)) else {
                throw ValidationFailure(field: "outcome", "choose how the call went")
            }
            var later: Date?
            if let text = form.callLaterAt?.nilIfBlank {
                guard let date = LocalTime.read(text, zone: zone) else {
                    throw ValidationFailure(field: "callLaterAt", "must be a date and time such as 2026-11-20T14:00")
                }
                later = date
            }
            let body = CampaignOutcomeRequest(outcome: outcome, note: form.note?.nilIfBlank, callLaterAt: later)
            let (note, callLaterAt) = try CampaignController.checked(body, now: req.now)
            _ = try await Campaigns.record(
                outcome, note: note, callLaterAt: callLaterAt, on: callID, in: campaign, by: principal.userID,
                now: req.now, events: req.application.events, on: req.db)
            await req.publish(.campaignChanged(try campaign.requireID()))
            return req.seeOther(path, notice: .outcomeRecorded)
        } catch CampaignError.notHeld {
            return req.seeOther(path, notice: .notHeld)
        } catch {
            guard let failure = FormFailure(error, field: "outcome") else { throw error }
            return try await renderCall(req, form: form, errors: failure.errors, status: failure.status)
        }
    }

    @Sendable func export(req: Request) async throws -> Response {
        try await CampaignController().export(req: req)
    }

    /// Sends the progress on connect and whenever a call of the campaign is claimed or recorded.
    private static func serve(_ req: Request, _ ws: WebSocket) async {
        guard req.principal != nil, let (_, campaign, program) = try? await CampaignController.campaign(req),
            let id = campaign.id
        else {
            try? await ws.close(code: .policyViolation)
            return
        }
        let app = req.application
        // Everyone in the program sees the same figures: one channel per campaign.
        LiveSocket.serve(ws, app: app, shared: "campaign \(id)") {
            $0 == .campaignChanged(id)
        } view: {
            let progress = try await CampaignProgress.load(campaign, now: app.clock.now, on: app.db)
            return Live(
                progress: progress, eta: progress.estimatedCompletion.map { DisplayTime.zoned($0, in: program.zone) })
        }
    }

    /// The API's request from the form: times in the program's zone, numbers as typed.
    private static func request(
        _ form: GenerateForm, principal: Principal, on db: any Database
    ) async throws -> CampaignRequest {
        var errors = FieldValidator()
        let code = form.program?.nilIfBlank ?? ""
        let program = try await Program.visible(code: code, to: principal, on: db)
        func time(_ text: String?, _ field: String) -> Date? {
            guard let text = text?.nilIfBlank else { return nil }
            let date = LocalTime.read(text, zone: program.zone)
            errors.check(date != nil, field, "must be a date and time such as 2026-11-20T09:00")
            return date
        }
        func number(_ text: String?, _ field: String) -> Int? {
            guard let text = text?.nilIfBlank else { return nil }
            let value = Int(text)
            errors.check(value != nil, field, "must be a whole number")
            return value
        }
        var incident: UUID?
        if let text = form.incident?.nilIfBlank {
            incident = UUID(uuidString: text)
            errors.check(incident != nil, "incident", "choose one of the list")
        }
        let request = CampaignRequest(
            program: program.code, incidentId: incident, from: time(form.from, "from"),
            until: time(form.until, "until"),
            title: form.title?.nilIfBlank, opener: form.opener,
            callingHours: .init(opens: form.opens ?? "", closes: form.closes ?? "", days: form.days ?? []),
            maxAttempts: number(form.maxAttempts, "maxAttempts"),
            spacingMinutes: number(form.spacingMinutes, "spacingMinutes"),
            claimMinutes: number(form.claimMinutes, "claimMinutes"))
        try errors.finish()
        return request
    }

    private func renderList(
        _ req: Request, _ principal: Principal, form: GenerateForm, errors: [FieldError], notice: String?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let programs = try await Program.visible(to: principal, on: req.db)
        let codes = Program.codes(programs)
        let zone = programs.first?.zone ?? .gmt
        let query = Campaign.query(on: req.db).sort(\.$createdAt, .descending).limit(50)
        if let visible = principal.visiblePrograms { query.filter(\.$programID ~~ Array(visible)) }
        let rows = try await query.all().map { campaign in
            ListView.Row(
                id: try campaign.requireID().lowercaseText, title: campaign.title,
                program: codes[campaign.programID] ?? "", created: DisplayTime.zoned(campaign.createdAt, in: zone),
                callable: campaign.callable)
        }
        let resolved = try await Incidents.list(
            within: principal.visiblePrograms, state: .resolved, limit: 25, on: req.db)
        let names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        return try await req.page(
            "campaigns/list", title: "Callback campaigns", section: "campaigns",
            ListView(
                campaigns: rows, supervisor: principal.role >= .supervisor,
                programs: programs.map { .init(value: $0.code, label: $0.name, checked: form.program == $0.code) },
                incidents: try resolved.map { incident in
                    let id = try incident.requireID().lowercaseText
                    let label =
                        incident.title + " ("
                        + incident.programs.compactMap { codes[$0.programID] }.sorted()
                        .joined(separator: ", ") + ", " + DisplayTime.zoned(incident.declaredAt, in: zone) + ")"
                    return .init(value: id, label: label, checked: form.incident == id)
                },
                days: names.enumerated().map {
                    .init(
                        value: "\($0.offset + 1)", label: $0.element,
                        checked: form.days?.contains($0.offset + 1) ?? false)
                },
                form: form, errors: errors, notice: notice),
            status: status)
    }

    private func renderCall(
        _ req: Request, form: OutcomeForm, errors: [FieldError], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let (principal, campaign, program) = try await CampaignController.campaign(req)
        let path = "/campaigns/\(try campaign.requireID().lowercaseText)"
        guard let held = try await Campaigns.held(by: principal.userID, in: campaign, now: req.now, on: req.db) else {
            return req.seeOther(path, notice: .notHeld)
        }
        let call = try await CampaignController.held(
            held, campaign: campaign, program: program, by: principal, now: req.now, on: req.db)
        let zone = TimeZones.named(held.zone) ?? program.zone
        return try await req.page(
            "campaigns/call", title: "Calling \(held.number)", section: "campaigns",
            CallView(
                campaign: try CampaignDTO(campaign, program: program.code, progress: nil), call: call,
                tel: "tel:" + held.number, localTime: DisplayTime.zoned(req.now, in: zone),
                lastAttempt: DisplayTime.zoned(held.lastAttemptAt, in: zone),
                firstAttempt: DisplayTime.zoned(held.firstAttemptAt, in: zone),
                outcomes: CallbackOutcome.allCases.map {
                    .init(value: $0.rawValue, label: $0.label, checked: form.outcome == $0.rawValue)
                }, form: form, errors: errors),
            status: status)
    }
}
