import DaymakerCore
import Fluent
import Foundation
import SQLKit

/// What cannot be done to a campaign or one of its calls.
enum CampaignError: DomainError, Equatable {
    case incidentActive
    case alreadyGenerated(UUID)
    case notHeld

    var kind: DomainErrorKind { .conflict }

    var description: String {
        switch self {
        case .incidentActive:
            "The incident is still active: resolve it first, so nobody is called back while the lines are still down."
        case .alreadyGenerated(let id):
            "This incident's campaign for the program exists already: /api/v1/campaigns/\(id.lowercaseText)."
        case .notHeld:
            "This call is not yours to record: you do not hold it (it returned to the pool, or its outcome is in)."
        }
    }
}

/// Campaigns: generating one, claiming the next call, recording how it went, and the progress.
enum Campaigns {
    /// Turns a request into a plan, checking everything before anything is read.
    static func plan(
        _ body: CampaignRequest, program: Program, incident: Incident?, now: Date
    ) throws(ValidationFailure) -> CampaignBuilder.Plan {
        var errors = FieldValidator()
        let from = body.from ?? incident?.declaredAt
        let until = body.until ?? incident?.resolvedAt ?? (incident == nil ? nil : now)
        errors.check(from != nil, "from", "is required without an incident: when the attempts to call back began")
        errors.check(until != nil, "until", "is required without an incident: when they ended")
        if let from, let until {
            errors.check(from < until, "until", "must be after from")
            errors.check(until.timeIntervalSince(from) <= 31 * 86_400, "until", "must be at most 31 days after from")
            errors.check(from <= now, "from", "must not be in the future")
        }
        errors.check(body.title == nil || body.title?.nilIfBlank != nil, "title", "must not be blank (leave it out)")
        let title = errors.text(body.title, "title", required: false, maxLength: 200)
        let claim = body.claimMinutes ?? 15
        errors.check((1...240).contains(claim), "claimMinutes", "must be 1 to 240")
        var opener = OpenerScript.standard
        var window = CallingWindow.weekdays
        var retries = RetryPolicy.standard
        do throws(ValidationFailure) {
            if let text = body.opener { opener = try OpenerScript(text) }
        } catch { errors.add(contentsOf: error) }
        do throws(ValidationFailure) {
            if let hours = body.callingHours {
                window = try CallingWindow(opens: hours.opens, closes: hours.closes, days: hours.days)
            }
        } catch { errors.add(contentsOf: error) }
        do throws(ValidationFailure) {
            retries = RetryPolicy(
                maxAttempts: body.maxAttempts ?? retries.maxAttempts,
                spacingMinutes: body.spacingMinutes ?? retries.spacingMinutes)
            try retries.validate()
        } catch { errors.add(contentsOf: error) }
        try errors.finish()
        return CampaignBuilder.Plan(
            program: program, incidentID: incident?.id,
            title: title ?? incident.map { "Callbacks: \($0.title)" } ?? "Callbacks", windowStart: from!,
            windowEnd: until!, opener: opener, window: window, retries: retries, claimMinutes: claim)
    }

    /// Generates the campaign a supervisor asked for (from the API or the pages): the program must be theirs, the
    /// incident one of the program's and resolved.
    static func generate(
        _ body: CampaignRequest, by principal: Principal, now: Date, events: Events, on db: any Database
    ) async throws -> (Campaign, Program) {
        try principal.require(.supervisor)
        let program = try await Program.visible(code: body.program, to: principal, on: db)
        let campaign = try await generate(
            body, program: program, within: principal.visiblePrograms, by: principal.userID, now: now,
            events: events, on: db)
        return (campaign, program)
    }

    /// The same for a program already found (the command line: no user, every incident).
    static func generate(
        _ body: CampaignRequest, program: Program, within programs: Set<UUID>?, by author: UUID?, now: Date,
        events: Events, on db: any Database
    ) async throws -> Campaign {
        var incident: Incident?
        if let id = body.incidentId {
            let found = try await Incidents.find(id, within: programs, on: db)
            guard found.programs.contains(where: { $0.programID == program.id }) else {
                throw ValidationFailure(field: "incidentId", "is not an incident of \(program.code)")
            }
            guard !found.isActive else { throw CampaignError.incidentActive }
            incident = found
        }
        return try await generate(
            plan(body, program: program, incident: incident, now: now), by: author, now: now, events: events, on: db)
    }

    /// Generates the campaign a plan describes: one per incident and program.
    static func generate(
        _ plan: CampaignBuilder.Plan, by author: UUID?, now: Date, events: Events, on db: any Database
    ) async throws -> Campaign {
        if let existing = try await existing(plan, on: db) { throw CampaignError.alreadyGenerated(existing) }
        do {
            return try await CampaignBuilder.generate(plan, by: author, now: now, events: events, on: db)
        } catch {
            // Two supervisors generated it at once: the other one's stands.
            guard (error as? any DatabaseError)?.isConstraintFailure == true,
                let existing = try await existing(plan, on: db)
            else { throw error }
            throw CampaignError.alreadyGenerated(existing)
        }
    }

    /// The id of the campaign already generated for the plan's incident and program, if any.
    private static func existing(_ plan: CampaignBuilder.Plan, on db: any Database) async throws -> UUID? {
        guard let incident = plan.incidentID else { return nil }
        return try await Campaign.query(on: db).filter(\.$incidentID == incident)
            .filter(\.$programID == plan.program.requireID()).first()?.requireID()
    }

    /// The call of the campaign a rep holds now, if any.
    static func held(by user: UUID, in campaign: Campaign, now: Date, on db: any Database) async throws -> CampaignCall?
    {
        try await CampaignCall.query(on: db).filter(\.$campaignID == campaign.requireID())
            .filter(\.$claimedBy == user).filter(\.$state == .due).filter(\.$dueAt > now).first()
    }

    /// The campaign if the principal may see its program, else 404.
    static func visible(_ id: UUID, to principal: Principal, on db: any Database) async throws -> Campaign {
        guard let campaign = try await Campaign.find(id, on: db), principal.canSee(program: campaign.programID) else {
            throw NotFound("Campaign")
        }
        return campaign
    }

    static func call(_ id: UUID, in campaign: Campaign, on db: any Database) async throws -> CampaignCall {
        guard let call = try await CampaignCall.find(id, on: db), call.campaignID == campaign.id else {
            throw NotFound("Campaign call")
        }
        return call
    }

    /// Hands the caller the next due call in the campaign's order (asked first, then customers with care notes,
    /// then everyone else; within each, the never-called before the retries, then by first attempt) whose calling
    /// window is open now, held for
    /// the campaign's claim time; the call they hold already if they hold one. Nobody ever gets a call another
    /// holds: on PostgreSQL the candidates are locked and skipped by other claims (`FOR UPDATE SKIP LOCKED`), on
    /// SQLite claims are written one at a time. Calls whose window has closed are moved to its next opening.
    static func claimNext(
        _ campaign: Campaign, by user: UUID, now: Date, events: Events, on db: any Database
    ) async throws -> CampaignCall? {
        let campaignID = try campaign.requireID()
        let window = campaign.window
        let hold = now.addingTimeInterval(TimeInterval(campaign.claimMinutes * 60))
        return try await events.groupedWrite(on: db) { sql, _ in
            if let held = try await sql.raw(
                """
                SELECT * FROM campaign_calls WHERE campaign_id = \(bind: campaignID) AND claimed_by = \(bind: user)
                AND state = 'due' AND due_at > \(bind: now) LIMIT 1
                """
            ).first(decodingFluent: CampaignCall.self) {
                return held
            }
            let locking: SQLQueryString = sql.isPostgreSQL ? " FOR UPDATE SKIP LOCKED" : ""
            for _ in 0..<8 {
                let candidates = try await sql.raw(
                    """
                    SELECT id, zone FROM campaign_calls
                    WHERE campaign_id = \(bind: campaignID) AND state = 'due' AND due_at <= \(bind: now)
                    ORDER BY priority, tries, first_attempt_at LIMIT 16\(locking)
                    """
                ).all()
                if candidates.isEmpty { return nil }
                for row in candidates {
                    let id = try row.decode(column: "id", as: UUID.self)
                    let zone = TimeZones.named(try row.decode(column: "zone", as: String.self)) ?? .gmt
                    if window.isOpen(at: now, in: zone) {
                        try await sql.update(CampaignCall.schema).set("claimed_by", to: user)
                            .set("claimed_at", to: now).set("due_at", to: hold).where("id", .equal, id).run()
                        return try await sql.select().column("*").from(CampaignCall.schema).where("id", .equal, id)
                            .first(decodingFluent: CampaignCall.self)
                    }
                    try await sql.update(CampaignCall.schema)
                        .set("due_at", to: window.nextOpening(atOrAfter: now, in: zone)).where("id", .equal, id).run()
                }
            }
            return nil
        }
    }

    /// When the next call of the campaign nobody holds is due, if any is waiting.
    static func nextDue(_ campaign: Campaign, now: Date, on db: any Database) async throws -> Date? {
        try await CampaignCall.query(on: db).filter(\.$campaignID == campaign.requireID()).filter(\.$state == .due)
            .group(.or) { $0.filter(\.$claimedBy == nil).filter(\.$dueAt <= now) }
            .sort(\.$dueAt).first()?.dueAt
    }

    /// Records how a held call went: an outbound contact in the customer's history, the attempt, and the call
    /// finished or due again by the retry policy (in its calling window). Only its holder may, once per try.
    static func record(
        _ outcome: CallbackOutcome, note: String?, callLaterAt: Date?, on callID: UUID, in campaign: Campaign,
        by user: UUID, now: Date, events: Events, on db: any Database
    ) async throws -> CampaignCall {
        let campaignID = try campaign.requireID()
        let programID = campaign.programID
        let retries = campaign.retries
        let window = campaign.window
        let title = campaign.title
        return try await events.groupedWrite(on: db) { sql, _ in
            let locking: SQLQueryString = sql.isPostgreSQL ? " FOR UPDATE" : ""
            guard
                let call = try await sql.raw("SELECT * FROM campaign_calls WHERE id = \(bind: callID)\(locking)")
                    .first(decodingFluent: CampaignCall.self), call.campaignID == campaignID
            else { throw NotFound("Campaign call") }
            guard call.state == .due, call.claimedBy == user else { throw CampaignError.notHeld }
            let tries = call.tries + 1
            let contact = Contact()
            contact.id = UUID(timeOrderedAt: now)
            contact.$program.id = programID
            contact.$customer.id = call.customers.first
            contact.channel = .voice
            contact.direction = .outbound
            contact.fromAddress = "campaign"
            contact.toAddress = call.number
            contact.status = .ended
            contact.arrivedAt = min(call.claimedAt ?? now, now)
            contact.answeredAt = outcome.reached ? now : nil
            contact.endedAt = now
            contact.$rep.id = user
            contact.reason = title
            contact.summary = ([outcome.label] + [note].compactMap { $0 }).joined(separator: ". ")
            contact.resolution = outcome == .helped ? .resolved : nil
            contact.externalID = "campaign:\(callID.lowercaseText):\(tries)"
            contact.createdAt = now
            contact.updatedAt = now
            try await sql.insert(into: Contact.schema).fluentModel(contact).run()
            let attempt = CampaignAttempt()
            attempt.id = UUID(timeOrderedAt: now)
            attempt.campaignID = campaignID
            attempt.callID = callID
            attempt.try = tries
            attempt.repID = user
            attempt.outcome = outcome
            attempt.reached = outcome.reached
            attempt.contactID = contact.id!
            attempt.at = now
            try await sql.insert(into: CampaignAttempt.schema).fluentModel(attempt).run()

            call.tries = tries
            call.outcome = outcome
            call.note = note
            call.reached = call.reached || outcome.reached
            call.claimedBy = nil
            let zone = TimeZones.named(call.zone) ?? .gmt
            if let next = retries.nextCall(after: outcome, attempts: tries, now: now, callLaterAt: callLaterAt) {
                call.dueAt = window.nextOpening(atOrAfter: next, in: zone)
            } else {
                call.state = .done
                call.dueAt = nil
                call.finishedAt = now
                // Whatever the customer asked for during the incident is answered by this call.
                try await sql.update(Callback.schema).set("status", to: Callback.Status.done.rawValue)
                    .where("program_id", .equal, programID).where("number", .equal, call.number)
                    .where("incident_id", .isNot, SQLLiteral.null).where(
                        "status", .equal, Callback.Status.open.rawValue
                    )
                    .run()
            }
            try await sql.update(CampaignCall.schema).set(fluentModel: call).where("id", .equal, callID).run()
            if outcome == .doNotCall {
                try await sql.insert(into: DoNotCall.schema)
                    .columns("id", "program_id", "number", "reason", "added_by", "added_at")
                    .values(UUID(timeOrderedAt: now), programID, call.number, "Asked on a campaign call", user, now)
                    .ignoringConflicts(with: ["program_id", "number"]).run()
            }
            return call
        }
    }
}

extension CallbackOutcome {
    /// How the outcome reads in a customer's history and on the pages.
    var label: String {
        switch self {
        case .helped: "Reached and helped"
        case .nothingNeeded: "Reached, nothing needed"
        case .voicemail: "Left a voicemail"
        case .noAnswer: "No answer"
        case .busy: "Busy"
        case .wrongNumber: "Wrong number"
        case .callLater: "Asked to be called later"
        case .doNotCall: "Asked not to be called"
        }
    }
}
