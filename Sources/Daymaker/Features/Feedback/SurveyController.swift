import DaymakerCore
import Fluent
import SQLKit
import Vapor

/// A survey as the API shows it, inside its program.
struct SurveyDTO: Content, Equatable {
    @LowercaseID var id: UUID
    var program: String
    @LowercaseID var contactId: UUID
    @LowercaseID var customerId: UUID?
    /// The rep who handled the contact when it ended: the score is theirs.
    @LowercaseID var repId: UUID?
    var rep: String?
    var channel: Contact.Channel
    var status: Survey.Status
    var skipReason: SurveyRules.Skip?
    var createdAt: Date
    var sentAt: Date?
    var expiresAt: Date?
    var answeredAt: Date?
    var score: Int?
    var madeDay: Bool?
    var thanks: String?
    var better: String?
    var rootCauses: [String]
    /// Waiting for a supervisor (a low score or a "could have done better").
    var alert: Bool
    var alertHandledAt: Date?

    init(_ survey: Survey, codes: [UUID: String], names: [UUID: String]) throws {
        id = try survey.requireID()
        program = codes[survey.programID] ?? ""
        contactId = survey.contactID
        customerId = survey.customerID
        repId = survey.repID
        rep = survey.repID.flatMap { names[$0] }
        channel = survey.channel
        status = survey.status
        skipReason = survey.skipReason.flatMap(SurveyRules.Skip.init(rawValue:))
        createdAt = survey.createdAt
        sentAt = survey.sentAt
        expiresAt = survey.expiresAt
        answeredAt = survey.answeredAt
        score = survey.score
        madeDay = survey.madeDay
        thanks = survey.thanks
        better = survey.better
        rootCauses = Vocabulary.stored(survey.rootCauses ?? "")
        alert = survey.alert && survey.alertHandledAt == nil
        alertHandledAt = survey.alertHandledAt
    }

    /// The surveys with their programs' codes and reps' names, read together.
    static func list(_ surveys: [Survey], on db: any Database) async throws -> [SurveyDTO] {
        let codes = Program.codes(try await Program.query(on: db).all())
        let names = try await User.displayNames(Set(surveys.compactMap(\.repID)), on: db)
        return try surveys.map { try SurveyDTO($0, codes: codes, names: names) }
    }
}

struct SurveyQuery: Content {
    var program: String?
    var rep: UUID?
    var status: Survey.Status?
    var alert: Bool?
    var limit: Int?
}

/// `/api/v1/surveys`: supervisors read their programs' surveys, reps the ones credited to them; a supervisor books
/// the callback an alert asks for. `/api/v1/programs/{id}/survey-rules`: members read the rules, supervisors change
/// them.
struct SurveyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("surveys", use: list)
        routes.get("surveys", ":surveyID", use: show)
        routes.post("surveys", ":surveyID", "callback", use: callback)
        routes.get("programs", ":programID", "survey-rules", use: rules)
        routes.put("programs", ":programID", "survey-rules", use: saveRules)
    }

    /// Newest first; `?program=&rep=&status=&alert=true&limit=`.
    @Sendable func list(req: Request) async throws -> ItemPage<SurveyDTO> {
        let principal = try req.requirePrincipal()
        let asked = try req.query.decode(SurveyQuery.self)
        let limit = asked.limit ?? 50
        guard (1...200).contains(limit) else { throw ValidationFailure(field: "limit", "must be 1 to 200") }
        let surveys = try await Surveys.list(
            program: asked.program, rep: asked.rep, status: asked.status, alert: asked.alert, limit: limit,
            by: principal, on: req.db)
        return ItemPage(items: try await SurveyDTO.list(surveys, on: req.db), nextCursor: nil)
    }

    @Sendable func show(req: Request) async throws -> SurveyDTO {
        let principal = try req.requirePrincipal()
        let survey = try await Surveys.visible(try req.uuidParameter("surveyID", "Survey"), to: principal, on: req.db)
        return try await SurveyDTO.list([survey], on: req.db)[0]
    }

    /// Books a callback to the customer (for the supervisor who asks) and marks the alert handled.
    @Sendable func callback(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let callback = try await Surveys.callBack(
            try req.uuidParameter("surveyID", "Survey"), by: principal, now: req.now, on: req.db)
        await req.publish(.queueChanged(callback.programID))
        return try await CallbackDTO(
            callback, program: try await Program.find(callback.programID, on: req.db)?.code ?? ""
        )
        .created(at: "/api/v1/callbacks/\(try callback.requireID().lowercaseText)", for: req)
    }

    @Sendable func rules(req: Request) async throws -> SurveyRules {
        Surveys.rules(of: try await ProgramController.visibleProgram(req, try req.requirePrincipal()))
    }

    @Sendable func saveRules(req: Request) async throws -> SurveyRules {
        let principal = try req.requirePrincipal()
        let program = try await ProgramController.visibleProgram(req, principal)
        try principal.require(.supervisor)
        let body = try req.decodeStrict(SurveyRules.self)
        return try await Surveys.saveRules(body, of: program, by: principal, now: req.now, on: req.db)
    }
}

extension Surveys {
    /// Supervisors see their programs' surveys; reps only those credited to them. Others answer 404.
    static func visible(_ id: UUID, to principal: Principal, on db: any Database) async throws -> Survey {
        guard let survey = try await Survey.find(id, on: db), principal.canSee(program: survey.programID),
            principal.role >= .supervisor || survey.repID == principal.userID
        else { throw NotFound("Survey") }
        return survey
    }

    static func list(
        program code: String?, rep: UUID?, status: Survey.Status?, alert: Bool?, limit: Int, by principal: Principal,
        on db: any Database
    ) async throws -> [Survey] {
        let query = Survey.query(on: db).sort(\.$createdAt, .descending).sort(\.$id, .descending).limit(limit)
        if let code {
            query.filter(\.$programID == (try await Program.visible(code: code, to: principal, on: db).requireID()))
        } else if let programs = principal.visiblePrograms {
            query.filter(\.$programID ~~ Array(programs))
        }
        if principal.role < .supervisor {
            query.filter(\.$repID == principal.userID)
        } else if let rep {
            query.filter(\.$repID == rep)
        }
        if let status { query.filter(\.$status == status) }
        if alert == true { query.filter(\.$alert == true).filter(\.$alertHandledAt == nil) }
        return try await query.all()
    }

    /// A supervisor of the program calls the customer back about their survey: a callback for them (the number the
    /// contact came from, else the customer's first), and the alert handled; once (409 after).
    static func callBack(_ id: UUID, by principal: Principal, now: Date, on db: any Database) async throws -> Callback {
        let survey = try await visible(id, to: principal, on: db)
        try principal.require(.supervisor)
        guard survey.alert, survey.alertHandledAt == nil else { throw SurveyAlertError.handled }
        guard let program = try await Program.find(survey.programID, on: db) else { throw NotFound("Survey") }
        var number: String?
        if let contact = try await Contact.find(survey.contactID, on: db), ![.voice, .sms].contains(contact.channel),
            let customer = survey.customerID
        {
            number = try await CustomerPhone.query(on: db).filter(\.$customer.$id == customer).sort(\.$position)
                .first()?.e164
            if number == nil { throw ValidationFailure(field: "number", "the customer has no phone number to call") }
        }
        // Claimed first, so a second click (or supervisor) books nothing; given back if the booking fails.
        try await db.writeTransaction { db in
            try await db.lockRow(in: Survey.schema, id: id)
            guard let current = try await Survey.find(id, on: db), current.alertHandledAt == nil else {
                throw SurveyAlertError.handled
            }
            current.alertHandledAt = now
            current.alertHandledBy = principal.userID
            try await current.save(on: db)
        }
        let member = principal.programIDs.contains(survey.programID)
        let callback: Callback
        do {
            callback = try await Callbacks.book(
                CallbackRequest(
                    program: program.code, contactId: survey.contactID, customerId: survey.customerID, number: number,
                    repId: member ? principal.userID : nil,
                    reason: "Survey" + (survey.score.map { ": scored \($0) of 5" } ?? "")),
                in: program, source: .survey, by: principal.userID, now: now, on: db)
        } catch {
            try await db.sqlDatabase.update(Survey.schema).set("alert_handled_at", to: SQLLiteral.null)
                .set("alert_handled_by", to: SQLLiteral.null).where("id", .equal, id).run()
            throw error
        }
        return callback
    }
}

enum SurveyAlertError: DomainError, Equatable {
    case handled

    var kind: DomainErrorKind { .conflict }
    var description: String { "This survey's alert was handled already (or it raised none)." }
}

extension SurveyRules: Content {}
