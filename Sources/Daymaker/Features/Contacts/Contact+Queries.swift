import DaymakerCore
import Fluent
import Foundation

extension Contact {
    /// The address as stored: E.164 for voice and sms (or "withheld"), lower-cased email, handle without "@".
    static func normalizedAddress(
        _ raw: String, channel: Channel, country: String, field: String
    ) throws(ValidationFailure) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        switch channel {
        case .voice, .sms:
            do {
                return try PhoneNumber(parsing: trimmed, defaultCountry: country).e164
            } catch .withheld {
                return "withheld"
            } catch {
                throw ValidationFailure(field: field, error.description)
            }
        case .email:
            let address = trimmed.lowercased()
            guard EmailAddress.isPlausible(address) else {
                throw ValidationFailure(field: field, "is not an email address")
            }
            return address
        case .chat, .social:
            guard !trimmed.isEmpty, trimmed.count <= 200 else {
                throw ValidationFailure(field: field, "must be 1 to 200 characters")
            }
            return trimmed.hasPrefix("@") ? String(trimmed.dropFirst()).lowercased() : trimmed.lowercased()
        }
    }

    /// Checks the order of a contact's timeline: arrived ≤ answered ≤ ended.
    static func checkTimeline(arrived: Date, answered: Date?, ended: Date?) throws(ValidationFailure) {
        var v = FieldValidator()
        if let answered { v.check(!answered.isBefore(arrived), "answeredAt", "must not be before arrivedAt") }
        if let ended {
            v.check(!ended.isBefore(answered ?? arrived), "endedAt", "must not be before answeredAt or arrivedAt")
        }
        try v.finish()
    }

    /// The contact if the principal may see its program; otherwise a 404 problem.
    static func visible(_ id: UUID, to principal: Principal, on db: any Database) async throws -> Contact {
        guard let contact = try await Contact.find(id, on: db), principal.canSee(program: contact.$program.id) else {
            throw NotFound("Contact")
        }
        return contact
    }

    /// A customer's contacts, newest first, one page at a time.
    static func history(
        customerID: UUID, limit: Int, cursor: Cursor?, on db: any Database
    ) async throws -> (contacts: [Contact], nextCursor: String?) {
        let query = Contact.query(on: db).filter(\.$customer.$id == customerID)
        if let cursor, let seconds = Double(cursor.key) {
            let arrived = Date(timeIntervalSince1970: seconds)
            query.group(.or) { or in
                or.filter(\.$arrivedAt < arrived)
                or.group(.and) { and in
                    and.filter(\.$arrivedAt == arrived)
                    and.filter(\.$id < cursor.id)
                }
            }
        }
        let rows = try await query.sort(\.$arrivedAt, .descending).sort(\.$id, .descending).limit(limit + 1).all()
        let page = Array(rows.prefix(limit))
        let next =
            rows.count > limit
            ? page.last.flatMap { c in
                c.id.map { Cursor(key: String(c.arrivedAt.timeIntervalSince1970), id: $0).encoded }
            }
            : nil
        return (page, next)
    }

    /// A rep may be put on a contact only if they are an active member of its program.
    static func checkRep(_ repID: UUID?, programID: UUID, on db: any Database) async throws {
        try await ProgramMembership.requireActiveMember(repID, of: programID, field: "repId", on: db)
    }
}

extension Contact {
    /// Records a contact the sender describes (a PBX, a chat tool, an import): every field checked against the
    /// program, the external id unique in it.
    static func record(
        _ body: ContactCreateRequest, in program: Program, now: Date, on db: any Database
    ) async throws -> Contact {
        let programID = try program.requireID()
        let contact = Contact()
        contact.$program.id = programID
        if let customerID = body.customerId {
            guard let customer = try await Customer.find(customerID, on: db), customer.$program.id == programID else {
                throw ValidationFailure(field: "customerId", "is not a customer of program \(program.code)")
            }
            contact.$customer.id = customerID
        }
        contact.channel = body.channel
        contact.direction = body.direction
        contact.fromAddress = try normalizedAddress(
            body.from, channel: body.channel, country: program.country, field: "from")
        contact.toAddress = try normalizedAddress(body.to, channel: body.channel, country: program.country, field: "to")
        contact.status = body.status ?? .queued
        contact.arrivedAt = body.arrivedAt ?? now
        contact.answeredAt = body.answeredAt
        contact.endedAt = body.endedAt
        try checkTimeline(arrived: contact.arrivedAt, answered: contact.answeredAt, ended: contact.endedAt)
        try await checkRep(body.repId, programID: programID, on: db)
        contact.$rep.id = body.repId
        try contact.describe(reason: body.reason, summary: body.summary)
        try contact.name(rootCauses: body.rootCauses, of: program)
        contact.resolution = body.resolution
        var v = FieldValidator()
        let externalID = v.text(body.externalId, "externalId", required: false, maxLength: 200)
        try v.finish()
        if let external = externalID {
            let existing = try await Contact.query(on: db).filter(\.$program.$id == programID).filter(
                \.$externalID == external
            ).first()
            if let id = existing?.id { throw ContactError.externalIDTaken(external, existing: id) }
            contact.externalID = external
        }
        try await contact.create(on: db)
        return contact
    }

    /// Applies what the sender reports later (answered, ended, the outcome); fields left out stay.
    func apply(_ update: ContactUpdateRequest, on db: any Database) async throws {
        if let status = update.status { self.status = status }
        if let answered = update.answeredAt { answeredAt = answered }
        if let ended = update.endedAt { endedAt = ended }
        try Self.checkTimeline(arrived: arrivedAt, answered: answeredAt, ended: endedAt)
        if let repID = update.repId {
            try await Self.checkRep(repID, programID: $program.id, on: db)
            $rep.id = repID
        }
        try describe(reason: update.reason ?? reason, summary: update.summary ?? summary)
        if update.rootCauses != nil { try name(rootCauses: update.rootCauses, of: try await $program.get(on: db)) }
        if let resolution = update.resolution { self.resolution = resolution }
        try await save(on: db)
    }

    func describe(reason: String?, summary: String?) throws(ValidationFailure) {
        var v = FieldValidator()
        self.reason = v.text(reason, "reason", required: false, maxLength: 200)
        self.summary = v.text(summary, "summary", required: false, maxLength: 5000)
        try v.finish()
    }

    /// Names what the company could have done differently, from the program's root causes; nil leaves them.
    func name(rootCauses: [String]?, of program: Program) throws(ValidationFailure) {
        guard let rootCauses else { return }
        var v = FieldValidator()
        let chosen = program.rootCauseVocabulary.chosen(rootCauses, field: "rootCauses", into: &v)
        try v.finish()
        self.rootCauses = chosen.isEmpty ? nil : chosen.joined(separator: ",")
    }
}

extension Date {
    /// Earlier by more than a millisecond. A time read back from either database can differ from the one written in
    /// its last binary digits (SQLite stores seconds since 1970 as a double, PostgreSQL whole microseconds), so two
    /// instants the sender gave as the same must compare as the same.
    func isBefore(_ other: Date) -> Bool { other.timeIntervalSince(self) > 0.001 }
}
