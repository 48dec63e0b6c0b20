import DaymakerCore
import Fluent
import Foundation
import SQLKit

/// Why a survey link opens no form.
enum SurveyError: DomainError, Equatable {
    case unknown
    case answered
    case expired

    var kind: DomainErrorKind {
        switch self {
        case .unknown: .notFound
        case .answered, .expired: .conflict
        }
    }

    var description: String {
        switch self {
        case .unknown: "This survey link is not one of ours."
        case .answered: "This survey was answered already. Thank you!"
        case .expired: "This survey link has expired."
        }
    }
}

/// What a customer answers.
struct SurveyAnswer: Sendable {
    var score: Int?
    var madeDay: Bool?
    var thanks: String?
    var better: String?
    var rootCauses: [String]
}

/// Surveys after contacts: invitations decided by the program's rules (never by the rep), sent by email through the
/// outbox, answered once through an unguessable link, credited to the rep who handled the contact and every rep the
/// customer names, whose thanks reach their desk; a low score or a "could have done better" alerts the supervisors.
enum Surveys {
    /// Where the invitation's link goes in the mail's text until it is sent (the token is made then, see
    /// `Outbox`).
    static let linkPlaceholder = "{survey-link}"
    /// Contacts that ended longer ago than this (after the delay) are not surveyed any more.
    static let freshness: TimeInterval = 2 * 86_400

    /// The program's rules (the defaults, off, until a supervisor saves some).
    static func rules(of program: Program) -> SurveyRules {
        guard !program.surveyRulesJSON.isEmpty,
            let rules = try? JSONDecoder().decode(SurveyRules.self, from: Data(program.surveyRulesJSON.utf8))
        else { return .defaults }
        return rules
    }

    /// A supervisor of the program changes its rules; audited.
    static func saveRules(
        _ rules: SurveyRules, of program: Program, by principal: Principal, now: Date, on db: any Database
    ) async throws -> SurveyRules {
        try principal.require(.supervisor)
        var kept = try rules.validated()
        let before = Self.rules(of: program)
        kept.enabledAt = kept.enabled ? (before.enabled ? before.enabledAt : now) : nil
        program.surveyRulesJSON = String(decoding: try JSONEncoder().encode(kept), as: UTF8.self)
        try await db.writeTransaction { db in
            try await program.save(on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: principal.userID, action: "survey-rules.changed", recordType: "program",
                recordID: program.id, programID: program.id)
        }
        return kept
    }

    /// Works through the programs whose surveys are on, in two steps. Every contact that ended is noted at once with
    /// the rep who handled it (the one credited, even if the contact is reassigned later); once the program's delay
    /// has passed its invitation is decided — invited or skipped with the reason, once — and the invitation queued
    /// in the outbox: an email when there is an address and a mail server, else a text message when the program has
    /// an SMS webhook. Nothing is decided in a program that can send neither. Returns how many were invited.
    @discardableResult
    static func inviteDue(now: Date, mailConfigured: Bool, on db: any Database) async throws -> Int {
        let texting = try await SMSWebhooks.programs(on: db)
        var invited = 0
        for program in try await Program.query(on: db).all() {
            let rules = rules(of: program)
            var transports: Set<SurveyRules.Transport> = mailConfigured ? [.email] : []
            if texting.contains(try program.requireID()) { transports.insert(.sms) }
            guard rules.enabled, !transports.isEmpty else { continue }
            try await note(program, since: rules.enabledAt ?? .distantPast, now: now, on: db)
            invited += try await decide(program, rules: rules, transports: transports, now: now, on: db)
        }
        return invited
    }

    /// Notes the contacts of the program that ended (recently) and have no survey yet, with their rep.
    private static func note(_ program: Program, since: Date, now: Date, on db: any Database) async throws {
        let programID = try program.requireID()
        let contacts = try await Contact.query(on: db).filter(\.$program.$id == programID)
            .filter(\.$arrivedAt >= now.addingTimeInterval(-freshness - 86_400))
            .filter(\.$status == .ended).filter(\.$endedAt > max(since, now.addingTimeInterval(-freshness)))
            .filter(
                .sql(
                    embed:
                        "NOT EXISTS (SELECT 1 FROM \(ident: Survey.schema) WHERE \(ident: Survey.schema).\(ident: "contact_id") = \(ident: Contact.schema).\(ident: "id"))"
                )
            )
            .sort(\.$endedAt).limit(1000).all()
        guard !contacts.isEmpty else { return }
        let rows = try contacts.map { contact in
            [
                UUID(timeOrderedAt: now), programID, try contact.requireID(), contact.$customer.id, contact.$rep.id,
                contact.channel.rawValue, Survey.Status.pending.rawValue, now, false,
            ] as [any Encodable & Sendable]
        }
        try await db.writeTransaction { db in
            var insert = try db.sqlDatabase.insert(into: Survey.schema).columns(
                "id", "program_id", "contact_id", "customer_id", "rep_id", "channel", "status", "created_at", "alert")
            for row in rows { insert = insert.values(row) }
            try await insert.ignoringConflicts(with: ["contact_id"]).run()
        }
    }

    /// Decides the noted surveys whose contacts ended at least the delay ago, and queues their invitations; each
    /// survey by one instance (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one writer).
    private static func decide(
        _ program: Program, rules: SurveyRules, transports: Set<SurveyRules.Transport>, now: Date,
        on db: any Database
    ) async throws -> Int {
        let programID = try program.requireID()
        let endedBy = now.addingTimeInterval(-Double(rules.delayMinutes) * 60)
        // A read first (an index probe): most passes find nothing pending and take no write lock.
        guard try await Survey.query(on: db).filter(\.$status == .pending).filter(\.$programID == programID).count() > 0
        else { return 0 }
        return try await db.writeTransaction { db in
            let sql = try db.sqlDatabase
            let locking: SQLQueryString = sql.isPostgreSQL ? " FOR UPDATE OF s SKIP LOCKED" : ""
            let due = try await sql.raw(
                """
                SELECT s.id FROM surveys s JOIN contacts c ON c.id = s.contact_id
                WHERE s.program_id = \(bind: programID) AND s.status = 'pending' AND c.ended_at <= \(bind: endedBy)
                ORDER BY c.ended_at, s.id LIMIT 500\(locking)
                """
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !due.isEmpty else { return 0 }
            // In the order the contacts ended: a customer's first contact is the one they are asked about.
            let byID = Dictionary(
                try await Survey.query(on: db).filter(\.$id ~~ due).all().map { (try $0.requireID(), $0) },
                uniquingKeysWith: { first, _ in first })
            let surveys = due.compactMap { byID[$0] }
            var facts = try await Facts.load(surveys, program: program, on: db)
            let names = try await User.displayNames(Set(surveys.compactMap(\.repID)), on: db)
            var invited = 0
            for survey in surveys {
                switch rules.decide(
                    facts.candidate(survey, reachable: facts.reachable(survey, by: transports)), now: now)
                {
                case .skip(let reason):
                    survey.status = .skipped
                    survey.skipReason = reason.rawValue
                    try await survey.save(on: db)
                case .invite(let invitation):
                    survey.status = .invited
                    survey.invitedBy = invitation.by
                    survey.address = invitation.address
                    survey.expiresAt = now.addingTimeInterval(Double(rules.expiryDays) * 86_400)
                    try await survey.save(on: db)
                    if let customer = survey.customerID { facts.lastInvited[customer] = now }
                    let message = Invitation(
                        name: survey.customerID.flatMap { facts.customers[$0] }.map { $0.preferredName ?? $0.fullName }
                            ?? "",
                        rep: survey.repID.flatMap { names[$0] } ?? "our team", program: program,
                        contactAt: facts.contacts[survey.contactID]?.arrivedAt ?? now, expires: survey.expiresAt!)
                    try await sql.insert(into: OutgoingMessage.schema).columns(
                        "id", "program_id", "survey_id", "channel", "to_address", "subject", "body", "status",
                        "attempts", "next_attempt_at", "created_at"
                    ).values(
                        [
                            UUID(timeOrderedAt: now), programID, try survey.requireID(),
                            invitation.by == .sms ? OutgoingMessage.Channel.sms.rawValue : "email", invitation.address,
                            message.subject, invitation.by == .sms ? message.text : message.email,
                            OutgoingMessage.Status.pending.rawValue, 0, now, now,
                        ] as [any Encodable & Sendable]
                    ).ignoringConflicts(with: ["survey_id"]).run()
                    invited += 1
                }
            }
            return invited
        }
    }

    /// What the rules need to know about surveys' contacts and customers, read for a batch at once.
    struct Facts {
        var program: Program
        var contacts: [UUID: Contact]
        var customers: [UUID: Customer]
        var bereaved: Set<UUID>
        var lastInvited: [UUID: Date]
        var incident: Bool

        static func load(_ surveys: [Survey], program: Program, on db: any Database) async throws -> Facts {
            let contacts = Dictionary(
                try await Contact.query(on: db).filter(\.$id ~~ surveys.map(\.contactID)).all().map {
                    (try $0.requireID(), $0)
                }, uniquingKeysWith: { first, _ in first })
            let customerIDs = Array(Set(surveys.compactMap(\.customerID)))
            let customers = Dictionary(
                try await Customer.query(on: db).filter(\.$id ~~ customerIDs).with(\.$emails).with(\.$phones).all()
                    .map { (try $0.requireID(), $0) }, uniquingKeysWith: { first, _ in first })
            let bereaved = Set(
                try await CareNote.query(on: db).filter(\.$customer.$id ~~ customerIDs)
                    .filter(\.$kind == .bereavement).filter(\.$retiredAt == nil).all(\.$customer.$id))
            return Facts(
                program: program, contacts: contacts, customers: customers, bereaved: bereaved,
                lastInvited: try await lastInvitations(of: customerIDs, on: db),
                incident: try await Incidents.isActive(program: program.requireID(), on: db))
        }

        /// Where the survey's invitation could go by these transports, an email first: the address the customer
        /// wrote from (an email contact) or their first email address; the number they called or texted from, or
        /// their first phone number.
        func reachable(_ survey: Survey, by transports: Set<SurveyRules.Transport>) -> [SurveyRules.Invitation] {
            let contact = contacts[survey.contactID]
            let customer = survey.customerID.flatMap { customers[$0] }
            var options: [SurveyRules.Invitation] = []
            if transports.contains(.email) {
                let address =
                    survey.channel == .email
                    ? contact?.fromAddress : customer?.emails.sorted { $0.position < $1.position }.first?.address
                if let address { options.append(.init(by: .email, address: address)) }
            }
            if transports.contains(.sms) {
                var number: String?
                if survey.channel == .voice || survey.channel == .sms, let from = contact?.fromAddress {
                    number = try? PhoneNumber(parsing: from, defaultCountry: program.country).e164
                }
                number = number ?? customer?.phones.sorted { $0.position < $1.position }.first?.e164
                if let number { options.append(.init(by: .sms, address: number)) }
            }
            return options
        }

        func candidate(_ survey: Survey, reachable: [SurveyRules.Invitation]) -> SurveyRules.Candidate {
            let customer = survey.customerID.flatMap { customers[$0] }
            return SurveyRules.Candidate(
                channel: survey.channel.rawValue, handled: survey.repID != nil, customerKnown: customer != nil,
                reachable: reachable, doNotContact: customer?.doNotContact ?? false,
                bereavement: survey.customerID.map(bereaved.contains) ?? false, incident: incident,
                lastInvitedAt: survey.customerID.flatMap { lastInvited[$0] })
        }
    }

    /// Each customer's latest invitation.
    private static func lastInvitations(of customers: [UUID], on db: any Database) async throws -> [UUID: Date] {
        guard !customers.isEmpty else { return [:] }
        var last: [UUID: Date] = [:]
        for row in try await db.sqlDatabase.select().column("customer_id").column(
            SQLFunction("MAX", args: SQLColumn("created_at")), as: "last"
        )
        .from(Survey.schema).where("customer_id", .in, customers).where(
            "status", .in, [Survey.Status.invited.rawValue, Survey.Status.answered.rawValue]
        )
        .groupBy("customer_id").all() {
            last[try row.decode(column: "customer_id", as: UUID.self)] = try row.decode(column: "last", as: Date.self)
        }
        return last
    }

    /// An invitation's words: plain, personal, and honest about what the link does.
    struct Invitation {
        var name: String
        var rep: String
        var program: Program
        var contactAt: Date
        var expires: Date

        var subject: String { "\(program.name): did \(rep) make your day?" }

        var email: String {
            let day = DisplayTime.format(contactAt, in: program.zone)
            return """
                Hello\(name.isEmpty ? "" : " \(name)"),

                Thank you for contacting \(program.name) on \(day). \(rep) helped you.
                Did \(rep) make your day? Tell us in a minute — and, if you like, thank \(rep) in your own words:

                \(linkPlaceholder)

                The link works once, until \(DisplayTime.format(expires, in: program.zone)).

                \(program.name)
                """
        }

        /// A text message: short, the same question and the link.
        var text: String {
            "\(program.name): Hello\(name.isEmpty ? "" : " \(name)"), did \(rep) make your day? "
                + "Tell us in a minute: \(linkPlaceholder) (works once, until "
                + "\(DisplayTime.format(expires, in: program.zone)))"
        }
    }
}

extension Surveys {
    /// What a survey link opens: the survey, the rep it asks about, and its program.
    struct Opened {
        var survey: Survey
        var program: Program
        var rep: String?
    }

    /// The survey the token opens, or why not (unknown, answered, expired).
    static func open(token: String, now: Date, on db: any Database) async throws -> Opened {
        guard token.count <= 100,
            let survey = try await Survey.query(on: db).filter(\.$tokenHash == SecureToken.hash(token)).first()
        else { throw SurveyError.unknown }
        return try await open(survey, now: now, on: db)
    }

    /// The survey, while it can be answered.
    static func open(_ survey: Survey, now: Date, on db: any Database) async throws -> Opened {
        guard let program = try await Program.find(survey.programID, on: db) else { throw SurveyError.unknown }
        if survey.status == .answered { throw SurveyError.answered }
        guard survey.status == .invited, let expires = survey.expiresAt, expires > now else {
            throw SurveyError.expired
        }
        var rep: String?
        if let id = survey.repID { rep = try await User.find(id, on: db)?.displayName }
        return Opened(survey: survey, program: program, rep: rep)
    }

    /// The customer's answer, once: the score is the handling rep's; thanks (or a day made) reach that rep and
    /// every rep of the program the customer names, on their desks; a low score or a "could have done better"
    /// alerts the program's supervisors. Returns the survey and the reps it credits.
    static func answer(
        token: String, _ answer: SurveyAnswer, now: Date, events: Events, on db: any Database
    ) async throws -> (survey: Survey, credited: [UUID]) {
        try await self.answer(try await open(token: token, now: now, on: db), answer, now: now, events: events, on: db)
    }

    static func answer(
        _ opened: Opened, _ answer: SurveyAnswer, now: Date, events: Events, on db: any Database
    ) async throws -> (survey: Survey, credited: [UUID]) {
        let rules = rules(of: opened.program)
        var errors = FieldValidator()
        errors.check(answer.score.map { (1...5).contains($0) } == true, "score", "choose from 1 to 5")
        let thanks = errors.text(answer.thanks, "thanks", required: false, maxLength: 2000)
        let better = errors.text(answer.better, "better", required: false, maxLength: 2000)
        let causes = opened.program.rootCauseVocabulary.chosen(answer.rootCauses, field: "rootCauses", into: &errors)
        try errors.finish()
        let score = answer.score ?? 0
        let id = try opened.survey.requireID()
        let members = try await User.activeMembers(of: opened.survey.programID, on: db).filter { $0.role == .rep }
            .map { SurveyCredit.Rep(id: try $0.requireID(), name: $0.displayName) }
        let credited =
            thanks != nil || answer.madeDay == true
            ? SurveyCredit.reps(handledBy: opened.survey.repID, text: thanks ?? "", reps: members) : []
        let from = try await customerName(of: opened.survey, on: db)
        let survey = try await db.writeTransaction { db in
            try await db.lockRow(in: Survey.schema, id: id)
            guard let survey = try await Survey.find(id, on: db) else { throw SurveyError.unknown }
            guard survey.status == .invited else { throw SurveyError.answered }
            survey.status = .answered
            survey.answeredAt = now
            survey.score = score
            survey.madeDay = answer.madeDay
            survey.thanks = thanks
            survey.better = better
            survey.rootCauses = causes.isEmpty ? nil : causes.joined(separator: ",")
            survey.alert = score <= rules.lowScore || better != nil
            try await survey.save(on: db)
            for rep in credited {
                try await Kudos(survey, rep: rep, from: from, text: thanks ?? "You made my day.", now: now).create(
                    on: db)
            }
            return survey
        }
        var published = credited.map { DomainEvent.messageLeft($0) }
        if survey.alert { published.append(.queueChanged(survey.programID)) }
        await events.publish(published, on: db)
        return (survey, credited)
    }

    /// The customer as the rep knows them, for the thanks they give.
    static func customerName(of survey: Survey, on db: any Database) async throws -> String {
        guard let id = survey.customerID, let customer = try await Customer.find(id, on: db) else {
            return "A customer"
        }
        return customer.preferredName ?? customer.fullName
    }
}
