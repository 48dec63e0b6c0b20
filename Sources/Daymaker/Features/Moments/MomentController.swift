import DaymakerCore
import Fluent
import Vapor

struct MomentRequest: Content {
    var program: String
    var contactId: UUID?
    /// Without a contact: the customer it was with (their names and number are hidden outside the program).
    var customerId: UUID?
    var repId: UUID?
    var channel: Contact.Channel?
    var littleExtra: String
    var quote: String?
    /// Behaviour tags from the program's vocabulary.
    var tags: [String]?
    var evidence: String?
    var evidenceUrl: String?
}

struct MomentFeatureRequest: Content {
    var comment: String?
    /// The supervisor's correction of the redacted text shown outside the program; nil: as Daymaker redacted it.
    var shared: MomentDTO.Shared?
}

struct MomentDeclineRequest: Content {
    var reason: String
}

/// A moment as the API shows it, inside its program: the original words, and `shared`, what is shown outside it
/// (redacted; for supervisors, so they see it before they feature it, and as it was shared once featured).
struct MomentDTO: Content, Equatable {
    struct Shared: Content, Equatable {
        var littleExtra: String
        var quote: String?
        var evidence: String?
    }

    @LowercaseID var id: UUID
    var program: String
    @LowercaseID var contactId: UUID?
    @LowercaseID var customerId: UUID?
    @LowercaseID var repId: UUID?
    @LowercaseID var nominatedBy: UUID
    var channel: Contact.Channel
    var littleExtra: String
    var quote: String?
    var tags: [String]
    var evidence: String?
    var evidenceUrl: String?
    var status: Moment.Status
    var reviewNote: String?
    @LowercaseID var reviewedBy: UUID?
    var reviewedAt: Date?
    var createdAt: Date
    var shared: Shared?

    init(_ moment: Moment, program: String, shared: Shared?) throws {
        id = try moment.requireID()
        self.program = program
        contactId = moment.contactID
        customerId = moment.customerID
        repId = moment.repID
        nominatedBy = moment.nominatedBy
        channel = moment.channel
        littleExtra = moment.littleExtra
        quote = moment.quote
        tags = moment.tagList
        evidence = moment.evidence
        evidenceUrl = moment.evidenceURL
        status = moment.status
        reviewNote = moment.reviewNote
        reviewedBy = moment.reviewedBy
        reviewedAt = moment.reviewedAt
        createdAt = moment.createdAt
        self.shared = shared
    }
}

/// The world-class library's API: members nominate and read their programs' moments; supervisors feature or
/// decline them.
struct MomentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("moments", use: list)
        routes.post("moments", use: nominate)
        routes.get("moments", "digest", use: digest)
        routes.get("moments", ":momentID", use: show)
        routes.post("moments", ":momentID", "feature", use: feature)
        routes.post("moments", ":momentID", "decline", use: decline)
    }

    @Sendable func list(req: Request) async throws -> ItemPage<MomentDTO> {
        let principal = try req.requirePrincipal()
        let query = try req.query.decode(MomentQuery.self)
        let moments = try await Moments.list(try query.filter(), by: principal, on: req.db)
        let codes = Program.codes(try await Program.visible(to: principal, on: req.db))
        return ItemPage(
            items: try moments.map { try MomentDTO($0, program: codes[$0.programID] ?? "", shared: nil) },
            nextCursor: nil)
    }

    /// `?week=2026-W49` (default: this week).
    @Sendable func digest(req: Request) async throws -> MomentDigestDTO {
        let principal = try req.requirePrincipal()
        let week = try DigestWeek.requested(try req.query.decode(DigestQuery.self).week, now: req.now)
        return try await Moments.digest(week, for: principal, on: req.db)
    }

    @Sendable func nominate(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(MomentRequest.self)
        let moment = try await Moments.nominate(body, by: principal, now: req.now, on: req.db)
        return try await dto(moment, for: principal, req)
            .created(at: "/api/v1/moments/\(try moment.requireID().lowercaseText)", for: req)
    }

    @Sendable func show(req: Request) async throws -> MomentDTO {
        let principal = try req.requirePrincipal()
        let moment = try await Moments.visible(try req.uuidParameter("momentID", "Moment"), to: principal, on: req.db)
        return try await dto(moment, for: principal, req)
    }

    @Sendable func feature(req: Request) async throws -> MomentDTO {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(MomentFeatureRequest.self)
        let moment = try await Moments.feature(
            try req.uuidParameter("momentID", "Moment"), body, by: principal, now: req.now, on: req.db,
            events: req.application.events)
        return try await dto(moment, for: principal, req)
    }

    @Sendable func decline(req: Request) async throws -> MomentDTO {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(MomentDeclineRequest.self)
        let moment = try await Moments.decline(
            try req.uuidParameter("momentID", "Moment"), body, by: principal, now: req.now, on: req.db)
        return try await dto(moment, for: principal, req)
    }

    private func dto(_ moment: Moment, for principal: Principal, _ req: Request) async throws -> MomentDTO {
        try await MomentDTO.make(moment, for: principal, now: req.now, on: req.db)
    }
}

extension MomentDTO {
    /// The moment with its program's code, and for supervisors what is shown outside the program.
    static func make(
        _ moment: Moment, for principal: Principal, now: Date, on db: any Database
    ) async throws
        -> MomentDTO
    {
        let program = try await Program.find(moment.programID, on: db)
        let shared = principal.role >= .supervisor ? try await Moments.shared(moment, now: now, on: db) : nil
        return try MomentDTO(moment, program: program?.code ?? "", shared: shared)
    }
}

struct DigestQuery: Content {
    var week: String?
}

/// The moments featured in a week, for managers: in full from the viewer's programs, redacted from the others.
struct MomentDigestDTO: Content, Equatable {
    var week: String
    var from: Date
    var until: Date
    var items: [FeaturedMomentDTO]
}

/// A featured moment as a viewer may see it: in full inside their programs, as it was shared (redacted) outside
/// them. Its id opens it only inside the program; outside it serves to put it in a training collection.
struct FeaturedMomentDTO: Content, Equatable {
    @LowercaseID var id: UUID
    var program: String
    var yourProgram: Bool
    var channel: Contact.Channel
    var tags: [String]
    var littleExtra: String
    var quote: String?
    var evidence: String?
    /// The supervisor's feature comment; nil outside your programs.
    var comment: String?
    /// The rep who made the day.
    var rep: String?
    var featuredAt: Date

    /// - Parameters:
    ///   - codes: programs' codes by id.
    ///   - names: reps' display names by id.
    init(_ moment: Moment, for principal: Principal, codes: [UUID: String], names: [UUID: String]) throws {
        let inside = principal.canSee(program: moment.programID)
        id = try moment.requireID()
        program = codes[moment.programID] ?? ""
        yourProgram = inside
        channel = moment.channel
        tags = moment.tagList
        littleExtra = inside ? moment.littleExtra : moment.sharedLittleExtra ?? ""
        quote = inside ? moment.quote : moment.sharedQuote
        evidence = inside ? moment.evidence : moment.sharedEvidence
        comment = inside ? moment.reviewNote : nil
        rep = moment.repID.flatMap { names[$0] }
        featuredAt = moment.reviewedAt ?? moment.createdAt
    }
}

struct MomentQuery: Content {
    var program: String?
    var status: Moment.Status?
    var tag: String?
    var rep: UUID?
    var channel: Contact.Channel?
    var from: String?
    var until: String?
    var q: String?
    var limit: Int?

    func filter() throws(ValidationFailure) -> MomentFilter {
        var errors = FieldValidator()
        func time(_ text: String?, _ field: String) -> Date? {
            guard let text else { return nil }
            let time = ISO8601.parseInternetTime(text)
            errors.check(time != nil, field, "must be a time such as 2026-11-20T15:04:05Z")
            return time
        }
        let from = time(self.from, "from")
        let until = time(self.until, "until")
        try errors.finish()
        return try MomentFilter(
            program: program, status: status, tag: tag, rep: rep, channel: channel, from: from, until: until,
            text: q, limit: limit ?? 50
        ).validated()
    }
}
