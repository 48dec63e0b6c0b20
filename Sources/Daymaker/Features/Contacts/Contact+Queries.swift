import DaymakerCore
import Fluent
import Foundation

extension Contact {
    /// The address as stored: E.164 for voice and sms (or "withheld"), lower-cased email, handle without "@".
    static func normalizedAddress(_ raw: String, channel: Channel, country: String, field: String) throws(ValidationFailure) -> String {
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
            guard EmailAddress.isPlausible(address) else { throw ValidationFailure(field: field, "is not an email address") }
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
        if let answered { v.check(answered >= arrived, "answeredAt", "must not be before arrivedAt") }
        if let ended { v.check(ended >= (answered ?? arrived), "endedAt", "must not be before answeredAt or arrivedAt") }
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
        let next = rows.count > limit
            ? page.last.flatMap { c in c.id.map { Cursor(key: String(c.arrivedAt.timeIntervalSince1970), id: $0).encoded } }
            : nil
        return (page, next)
    }

    /// A rep may be put on a contact only if they are an active member of its program.
    static func checkRep(_ repID: UUID?, programID: UUID, on db: any Database) async throws {
        try await ProgramMembership.requireActiveMember(repID, of: programID, field: "repId", on: db)
    }
}
