import DaymakerCore
import Fluent
import Foundation
import SQLKit

/// What cannot be done to a moment.
enum MomentError: DomainError, Equatable {
    case alreadyReviewed(Moment.Status)

    var kind: DomainErrorKind { .conflict }

    var description: String {
        switch self {
        case .alreadyReviewed(let status): "This moment was reviewed already: it is \(status.rawValue)."
        }
    }
}

/// Which moments a library shows: any of these, newest first (nominated between `from` and `until`).
struct MomentFilter: Sendable {
    var program: String?
    var status: Moment.Status?
    /// A behaviour tag (one the program has now, or had).
    var tag: String?
    var rep: UUID?
    var channel: Contact.Channel?
    var from: Date?
    var until: Date?
    /// Words in the little extra, the quote or the evidence, literally.
    var text: String?
    var limit = 50

    /// Checks what a reader asked for.
    func validated() throws(ValidationFailure) -> MomentFilter {
        var errors = FieldValidator()
        errors.check((1...100).contains(limit), "limit", "must be 1 to 100")
        errors.check((text?.unicodeScalars.count ?? 0) <= 200, "q", "must be at most 200 characters")
        if let tag {
            errors.check(
                Vocabulary.word(tag) == tag, "tag", "'\(tag)' is not a tag: lower-case words joined by hyphens")
        }
        if let from, let until { errors.check(from < until, "until", "must be after from") }
        try errors.finish()
        return self
    }
}

/// Nominating moments and reviewing them. Members of a program nominate and read its moments; its supervisors
/// (and admins) feature or decline them. Other programs' moments answer 404.
enum Moments {
    /// Anyone in the program nominates a contact (or, without one, a rep's moment on a channel, with the customer
    /// if known): what the little extra was is required, in their words; the evidence defaults to the contact's
    /// summary.
    static func nominate(
        _ body: MomentRequest, by principal: Principal, now: Date, on db: any Database
    ) async throws -> Moment {
        let program = try await Program.visible(code: body.program, to: principal, on: db)
        let programID = try program.requireID()
        var errors = FieldValidator()
        let littleExtra = errors.text(body.littleExtra, "littleExtra", maxLength: 2000)
        let quote = errors.text(body.quote, "quote", required: false, maxLength: 1000)
        let evidence = errors.text(body.evidence, "evidence", required: false, maxLength: 10_000)
        let url = errors.text(body.evidenceUrl, "evidenceUrl", required: false, maxLength: 2000)
        if let url, URLComponents(string: url).map({ ["http", "https"].contains($0.scheme?.lowercased()) }) != true {
            errors.add("evidenceUrl", "must be an http or https address")
        }
        var contact: Contact?
        if let id = body.contactId {
            contact = try await Contact.find(id, on: db)
            if contact?.$program.id != programID {
                contact = nil
                errors.add("contactId", "is not a contact of \(program.code)")
            }
        } else {
            if let id = body.customerId, try await Customer.find(id, on: db)?.$program.id != programID {
                errors.add("customerId", "is not a customer of \(program.code)")
            }
            errors.check(body.channel != nil, "channel", "is required without a contact")
            errors.check(body.repId != nil, "repId", "is required without a contact: whose moment it is")
        }
        let tags = program.momentTagVocabulary.chosen(body.tags ?? [], field: "tags", into: &errors)
        try errors.finish()
        let rep = body.repId ?? contact?.$rep.id
        try await ProgramMembership.requireActiveMember(rep, of: programID, field: "repId", on: db)

        let moment = Moment()
        moment.id = UUID(timeOrderedAt: now)
        moment.programID = programID
        moment.contactID = try contact?.requireID()
        moment.customerID = contact.map { $0.$customer.id } ?? body.customerId
        moment.repID = rep
        moment.nominatedBy = principal.userID
        moment.channel = contact?.channel ?? body.channel ?? .voice
        moment.littleExtra = littleExtra ?? ""
        moment.quote = quote
        moment.tags = tags.joined(separator: ",")
        moment.evidence = evidence ?? contact?.summary
        moment.evidenceURL = url
        moment.status = .nominated
        moment.createdAt = now
        try await moment.create(on: db)
        return moment
    }

    /// The moments of the principal's programs, newest first, filtered.
    static func list(_ filter: MomentFilter, by principal: Principal, on db: any Database) async throws -> [Moment] {
        let query = Moment.query(on: db).sort(\.$createdAt, .descending).limit(filter.limit)
        if let program = filter.program {
            let id = try await Program.visible(code: program, to: principal, on: db).requireID()
            query.filter(\.$programID == id)
        } else if let programs = principal.visiblePrograms {
            query.filter(\.$programID ~~ Array(programs))
        }
        if let status = filter.status { query.filter(\.$status == status) }
        if let rep = filter.rep { query.filter(\.$repID == rep) }
        if let channel = filter.channel { query.filter(\.$channel == channel) }
        if let from = filter.from { query.filter(\.$createdAt >= from) }
        if let until = filter.until { query.filter(\.$createdAt < until) }
        if let text = filter.text?.nilIfBlank {
            let pattern = LikePattern.containing(text.trimmingWhitespace)
            query.filter(
                .sql(
                    embed: """
                        (LOWER(\(ident: "little_extra")) LIKE \(bind: pattern) ESCAPE '\\' \
                        OR LOWER(COALESCE(\(ident: "quote"), '')) LIKE \(bind: pattern) ESCAPE '\\' \
                        OR LOWER(COALESCE(\(ident: "evidence"), '')) LIKE \(bind: pattern) ESCAPE '\\')
                        """))
        }
        if let tag = filter.tag {
            query.filter(.sql(embed: "(',' || \(ident: "tags") || ',') LIKE \(bind: "%,\(tag),%")"))
        }
        return try await query.all()
    }

    /// The moments featured in a week, across every program, for supervisors and admins to learn from: those of
    /// programs the viewer sees in full, the others as they were shared (redacted), without their comment.
    static func digest(
        _ week: DigestWeek, for principal: Principal, on db: any Database
    ) async throws -> MomentDigestDTO {
        try principal.require(.supervisor)
        let moments = try await Moment.query(on: db).filter(\.$status == .featured)
            .filter(\.$reviewedAt >= week.start).filter(\.$reviewedAt < week.end).sort(\.$reviewedAt).all()
        let codes = Program.codes(try await Program.query(on: db).all())
        let names = try await User.displayNames(Set(moments.compactMap(\.repID)), on: db)
        return MomentDigestDTO(
            week: week.description, from: week.start, until: week.end,
            items: try moments.map { try FeaturedMomentDTO($0, for: principal, codes: codes, names: names) })
    }

    /// The team feed: the moments featured in the principal's programs in the last two weeks, newest first.
    static func feed(for principal: Principal, now: Date, on db: any Database) async throws -> [FeaturedMomentDTO] {
        let query = Moment.query(on: db).filter(\.$status == .featured)
            .filter(\.$reviewedAt >= now.addingTimeInterval(-14 * 86_400)).sort(\.$reviewedAt, .descending).limit(5)
        if let programs = principal.visiblePrograms { query.filter(\.$programID ~~ Array(programs)) }
        let moments = try await query.all()
        guard !moments.isEmpty else { return [] }
        let codes = Program.codes(try await Program.query(on: db).filter(\.$id ~~ Set(moments.map(\.programID))).all())
        let names = try await User.displayNames(Set(moments.compactMap(\.repID)), on: db)
        return try moments.map { try FeaturedMomentDTO($0, for: principal, codes: codes, names: names) }
    }

    /// The moment if the principal may see its program, else 404.
    static func visible(_ id: UUID, to principal: Principal, on db: any Database) async throws -> Moment {
        guard let moment = try await Moment.find(id, on: db), principal.canSee(program: moment.programID) else {
            throw NotFound("Moment")
        }
        return moment
    }

    /// What the moment would show outside its program, redacted now (before it is featured) or as it was shared.
    static func shared(_ moment: Moment, now: Date, on db: any Database) async throws -> MomentDTO.Shared {
        if moment.status == .featured {
            return .init(
                littleExtra: moment.sharedLittleExtra ?? "", quote: moment.sharedQuote, evidence: moment.sharedEvidence)
        }
        let redaction = try await redaction(for: moment, now: now, on: db)
        return .init(
            littleExtra: redaction.redact(moment.littleExtra), quote: moment.quote.map(redaction.redact),
            evidence: moment.evidence.map(redaction.redact))
    }

    /// The moment's customer's names and number, for its redaction.
    private static func redaction(for moment: Moment, now: Date, on db: any Database) async throws -> Redaction {
        var customer: Customer?
        if let id = moment.customerID { customer = try await Customer.find(id, on: db) }
        return Redaction(customer: customer, program: try await Program.find(moment.programID, on: db), at: now)
    }

    /// A supervisor features the moment, with a comment; what is shown outside the program is the redacted text,
    /// or their correction of it. The rep who made the day finds it on their desk at once.
    static func feature(
        _ id: UUID, _ body: MomentFeatureRequest, by principal: Principal, now: Date, on db: any Database,
        events: Events
    ) async throws -> Moment {
        let moment = try await visible(id, to: principal, on: db)
        try principal.require(.supervisor)
        var errors = FieldValidator()
        let comment = errors.text(body.comment, "comment", required: false, maxLength: 2000)
        let extra = errors.text(body.shared?.littleExtra, "shared.littleExtra", required: false, maxLength: 2000)
        let quote = errors.text(body.shared?.quote, "shared.quote", required: false, maxLength: 1000)
        let evidence = errors.text(body.shared?.evidence, "shared.evidence", required: false, maxLength: 10_000)
        try errors.finish()
        let redacted = try await shared(moment, now: now, on: db)
        let featured = try await review(moment, to: .featured, note: comment, by: principal, now: now, on: db) {
            moment in
            moment.sharedLittleExtra = extra ?? redacted.littleExtra
            moment.sharedQuote = body.shared == nil ? redacted.quote : quote
            moment.sharedEvidence = body.shared == nil ? redacted.evidence : evidence
        }
        if let rep = featured.repID, rep != principal.userID { await events.publish(.messageLeft(rep), on: db) }
        return featured
    }

    /// A supervisor declines the moment with a reason the nominator sees.
    static func decline(
        _ id: UUID, _ body: MomentDeclineRequest, by principal: Principal, now: Date, on db: any Database
    ) async throws -> Moment {
        let moment = try await visible(id, to: principal, on: db)
        try principal.require(.supervisor)
        var errors = FieldValidator()
        let reason = errors.text(body.reason, "reason", maxLength: 2000)
        try errors.finish()
        return try await review(moment, to: .declined, note: reason, by: principal, now: now, on: db) { _ in }
    }

    /// Reviews a nominated moment once: a second review (two supervisors at once) is refused.
    private static func review(
        _ moment: Moment, to status: Moment.Status, note: String?, by principal: Principal, now: Date,
        on db: any Database, _ change: @escaping @Sendable (Moment) -> Void
    ) async throws -> Moment {
        let id = try moment.requireID()
        return try await db.writeTransaction { db in
            // A review waiting for the row then finds it reviewed.
            try await db.lockRow(in: Moment.schema, id: id)
            guard let current = try await Moment.find(id, on: db) else { throw NotFound("Moment") }
            guard current.status == .nominated else { throw MomentError.alreadyReviewed(current.status) }
            current.status = status
            current.reviewNote = note
            current.reviewedBy = principal.userID
            current.reviewedAt = now
            change(current)
            try await current.save(on: db)
            // The rep who made the day hears it on their desk.
            if status == .featured, let rep = current.repID, rep != principal.userID {
                try await RepMessage(
                    program: current.programID, to: rep, from: principal.userID,
                    text: "Your moment was featured: \(current.littleExtra)" + (note.map { " — \($0)" } ?? ""),
                    contact: current.contactID, customer: current.customerID, at: now
                ).create(on: db)
            }
            try await AuditEntry.record(
                on: db, at: now, actor: principal.userID, action: "moment.\(status.rawValue)", recordType: "moment",
                recordID: id, programID: current.programID)
            return current
        }
    }
}
