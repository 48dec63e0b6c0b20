import DaymakerCore
import Fluent
import Vapor

struct CampaignRequest: Content {
    struct Hours: Content {
        var opens: String
        var closes: String
        var days: [Int]
    }

    var program: String
    var incidentId: UUID?
    var from: Date?
    var until: Date?
    var title: String?
    var opener: String?
    var callingHours: Hours?
    var maxAttempts: Int?
    var spacingMinutes: Int?
    var claimMinutes: Int?
}

struct CampaignOutcomeRequest: Content {
    var outcome: CallbackOutcome
    var note: String?
    /// For `call-later`: when the customer asked to be called.
    var callLaterAt: Date?
}

/// A campaign as the API shows it.
struct CampaignDTO: Content {
    @LowercaseID var id: UUID
    var program: String
    @LowercaseID var incidentId: UUID?
    var title: String
    var from: Date
    var until: Date
    var opener: String
    var callingHours: CampaignRequest.Hours
    var maxAttempts: Int
    var spacingMinutes: Int
    var claimMinutes: Int
    /// What generating it found.
    var attempts: Int
    var callable: Int
    var uncallable: Int
    var gotThrough: Int
    var createdAt: Date
    var progress: CampaignProgress?

    init(_ campaign: Campaign, program: String, progress: CampaignProgress?) throws {
        id = try campaign.requireID()
        self.program = program
        incidentId = campaign.incidentID
        title = campaign.title
        from = campaign.windowStart
        until = campaign.windowEnd
        opener = campaign.opener
        let window = campaign.window
        callingHours = .init(opens: window.opensText, closes: window.closesText, days: window.days)
        maxAttempts = campaign.maxAttempts
        spacingMinutes = campaign.spacingMinutes
        claimMinutes = campaign.claimMinutes
        attempts = campaign.attempts
        callable = campaign.callable
        uncallable = campaign.uncallable
        gotThrough = campaign.gotThrough
        createdAt = campaign.createdAt
        self.progress = progress
    }
}

/// One number of a campaign; `script` is filled in for the rep who holds it.
struct CampaignCallDTO: Content {
    struct Person: Content {
        @LowercaseID var id: UUID
        var name: String
        var preferredName: String?
    }

    @LowercaseID var id: UUID
    var number: String
    var problem: String?
    var customers: [Person]
    var zone: String
    var attempts: Int
    var firstAttemptAt: Date
    var lastAttemptAt: Date
    var channels: [String]
    var explicit: Bool
    var careNotes: Bool
    var state: CampaignCall.State
    var dueAt: Date?
    @LowercaseID var claimedBy: UUID?
    var tries: Int
    var outcome: CallbackOutcome?
    var reached: Bool
    var note: String?
    var finishedAt: Date?
    var script: String?

    init(_ call: CampaignCall, customers: [Customer], script: String?) throws {
        id = try call.requireID()
        number = call.number
        problem = call.problem
        self.customers = try customers.map {
            Person(id: try $0.requireID(), name: $0.fullName, preferredName: $0.preferredName)
        }
        zone = call.zone
        attempts = call.attempts
        firstAttemptAt = call.firstAttemptAt
        lastAttemptAt = call.lastAttemptAt
        channels = call.channels.split(separator: ",").map(String.init)
        explicit = call.explicit
        careNotes = call.care
        state = call.state
        dueAt = call.dueAt
        claimedBy = call.claimedBy
        tries = call.tries
        outcome = call.outcome
        reached = call.reached
        note = call.note
        finishedAt = call.finishedAt
        self.script = script
    }
}

/// What claim-next hands out: the call, or when the next one is due.
struct CampaignClaimDTO: Content {
    var call: CampaignCallDTO?
    var nextDueAt: Date?
}

/// Callback campaigns: supervisors generate them; every member of the program claims calls and records outcomes;
/// everyone in the program sees the progress and the list.
struct CampaignController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("campaigns", use: list)
        routes.post("campaigns", use: generate)
        routes.get("campaigns", ":campaignID", use: show)
        routes.get("campaigns", ":campaignID", "calls", use: calls)
        routes.get("campaigns", ":campaignID", "export", use: export)
        routes.post("campaigns", ":campaignID", "claim", use: claim)
        routes.post("campaigns", ":campaignID", "calls", ":callID", "outcome", use: outcome)
    }

    @Sendable func list(req: Request) async throws -> ItemPage<CampaignDTO> {
        let principal = try req.requirePrincipal()
        let limit = try PageRequest.limit(req)
        let query = Campaign.query(on: req.db).sort(\.$createdAt, .descending).limit(limit)
        if let code = req.query[String.self, at: "program"]?.nilIfBlank {
            query.filter(\.$programID == (try await Program.visible(code: code, to: principal, on: req.db).requireID()))
        } else if let visible = principal.visiblePrograms {
            query.filter(\.$programID ~~ Array(visible))
        }
        let codes = Program.codes(try await Program.visible(to: principal, on: req.db))
        return ItemPage(
            items: try await query.all().map { try CampaignDTO($0, program: codes[$0.programID] ?? "", progress: nil) },
            nextCursor: nil)
    }

    @Sendable func generate(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        let body = try req.decodeStrict(CampaignRequest.self)
        let (campaign, program) = try await Campaigns.generate(
            body, by: principal, now: req.now, events: req.application.events, on: req.db)
        let progress = try await CampaignProgress.load(campaign, now: req.now, on: req.db)
        return try await CampaignDTO(campaign, program: program.code, progress: progress)
            .created(at: "/api/v1/campaigns/\(try campaign.requireID().lowercaseText)", for: req)
    }

    @Sendable func show(req: Request) async throws -> CampaignDTO {
        let (_, campaign, program) = try await Self.campaign(req)
        return try CampaignDTO(
            campaign, program: program.code,
            progress: try await CampaignProgress.load(campaign, now: req.now, on: req.db))
    }

    /// The campaign's numbers in calling order, `state` to pick the due, done or uncallable ones.
    @Sendable func calls(req: Request) async throws -> ItemPage<CampaignCallDTO> {
        let (_, campaign, _) = try await Self.campaign(req)
        let page = try PageRequest(req)
        let offset = page.cursor.flatMap { Int($0.key) } ?? 0
        let query = CampaignCall.query(on: req.db).filter(\.$campaignID == (try campaign.requireID()))
        if let raw = req.query[String.self, at: "state"] {
            guard let state = CampaignCall.State(rawValue: raw) else {
                throw ValidationFailure(field: "state", "must be one of \(CampaignCall.State.choices)")
            }
            query.filter(\.$state == state)
        }
        let calls = try await query.sort(\.$priority).sort(\.$firstAttemptAt).sort(\.$id).range(
            offset..<(offset + page.limit + 1)
        ).all()
        let customers = try await Self.customers(of: calls, on: req.db)
        let next = calls.count > page.limit ? Cursor(key: "\(offset + page.limit)", id: try campaign.requireID()) : nil
        return ItemPage(
            items: try calls.prefix(page.limit).map {
                try CampaignCallDTO($0, customers: $0.customers.compactMap { customers[$0] }, script: nil)
            }, nextCursor: next?.encoded)
    }

    @Sendable func claim(req: Request) async throws -> CampaignClaimDTO {
        let (principal, campaign, program) = try await Self.campaign(req)
        guard
            let call = try await Campaigns.claimNext(
                campaign, by: principal.userID, now: req.now, events: req.application.events, on: req.db)
        else {
            let next = try await Campaigns.nextDue(campaign, now: req.now, on: req.db)
            return CampaignClaimDTO(call: nil, nextDueAt: next)
        }
        await req.publish(.campaignChanged(try campaign.requireID()))
        return CampaignClaimDTO(
            call: try await Self.held(
                call, campaign: campaign, program: program, by: principal, now: req.now, on: req.db),
            nextDueAt: nil)
    }

    @Sendable func outcome(req: Request) async throws -> CampaignCallDTO {
        let (principal, campaign, _) = try await Self.campaign(req)
        let body = try req.decodeStrict(CampaignOutcomeRequest.self)
        let (note, callLaterAt) = try Self.checked(body, now: req.now)
        let call = try await Campaigns.record(
            body.outcome, note: note, callLaterAt: callLaterAt, on: try req.uuidParameter("callID", "Campaign call"),
            in: campaign, by: principal.userID, now: req.now, events: req.application.events, on: req.db)
        await req.publish(.campaignChanged(try campaign.requireID()))
        let customers = try await Self.customers(of: [call], on: req.db)
        return try CampaignCallDTO(call, customers: call.customers.compactMap { customers[$0] }, script: nil)
    }

    /// The whole list with outcomes, as CSV.
    @Sendable func export(req: Request) async throws -> Response {
        let (_, campaign, program) = try await Self.campaign(req)
        let csv = try await CampaignExport.csv(campaign, on: req.db)
        let response = Response(status: .ok, body: .init(string: csv))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(
            .attachment, filename: "campaign-\(program.code)-\(try campaign.requireID().lowercaseText).csv")
        return response
    }

    static func checked(_ body: CampaignOutcomeRequest, now: Date) throws(ValidationFailure) -> (String?, Date?) {
        var errors = FieldValidator()
        errors.check(body.note == nil || body.note?.nilIfBlank != nil, "note", "must not be blank (leave it out)")
        let note = errors.text(body.note, "note", required: false, maxLength: 2000)
        if body.outcome == .callLater {
            if let at = body.callLaterAt {
                errors.check(at > now, "callLaterAt", "must be in the future")
                errors.check(at < now.addingTimeInterval(30 * 86_400), "callLaterAt", "must be within 30 days")
            } else {
                errors.add("callLaterAt", "is required for call-later: when the customer asked to be called")
            }
        } else {
            errors.check(body.callLaterAt == nil, "callLaterAt", "is only for call-later")
        }
        try errors.finish()
        return (note, body.outcome == .callLater ? body.callLaterAt : nil)
    }

    static func campaign(_ req: Request) async throws -> (Principal, Campaign, Program) {
        let principal = try req.requirePrincipal()
        let campaign = try await Campaigns.visible(
            try req.uuidParameter("campaignID", "Campaign"), to: principal, on: req.db)
        guard let program = try await Program.find(campaign.programID, on: req.db) else { throw NotFound("Campaign") }
        return (principal, campaign, program)
    }

    static func customers(of calls: [CampaignCall], on db: any Database) async throws -> [UUID: Customer] {
        let ids = Array(Set(calls.flatMap(\.customers)))
        if ids.isEmpty { return [:] }
        return Dictionary(
            try await Customer.query(on: db).filter(\.$id ~~ ids).all().map { (try $0.requireID(), $0) },
            uniquingKeysWith: { first, _ in first })
    }

    /// A held call with its opener filled in for the rep holding it.
    static func held(
        _ call: CampaignCall, campaign: Campaign, program: Program, by principal: Principal, now: Date,
        on db: any Database
    ) async throws -> CampaignCallDTO {
        let customers = try await customers(of: [call], on: db)
        let people = call.customers.compactMap { customers[$0] }
        let script = OpenerScript(stored: campaign.opener).filled(
            rep: principal.displayName, program: program.name,
            customer: people.count == 1 ? people[0].preferredName : nil,
            called: call.lastAttemptAt, now: now, zone: TimeZones.named(call.zone) ?? program.zone)
        return try CampaignCallDTO(call, customers: people, script: script)
    }
}
