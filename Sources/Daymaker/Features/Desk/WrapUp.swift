import DaymakerCore
import Fluent
import Foundation

/// The rep's wrap-up of a contact: why the customer called, what happened and how it ended. Only the rep who had
/// the contact wraps it up; saving it ends their wrap-up time (they are done, and available at once).
enum WrapUp {
    struct Form: Codable, Sendable {
        var reason: String?
        var summary: String?
        var resolution: String?
        /// What the company could have done differently (the program's root causes); none ticked clears them.
        var rootCauses: [String]?
        /// `heated` or `abusive`: a contact that was hard on the rep.
        var wellbeing: String?
    }

    /// Saves the wrap-up; returns whether the rep's presence changed (wrap-up → available, or to the break after
    /// a hard contact).
    static func save(
        _ form: Form, contactID: UUID, by principal: Principal, now: Date, on db: any Database
    ) async throws -> Bool {
        guard let contact = try await Contact.find(contactID, on: db), contact.$rep.id == principal.userID else {
            throw NotFound("Contact")
        }
        var v = FieldValidator()
        let resolution = form.resolution.flatMap(Contact.Resolution.init(rawValue:))
        v.check(resolution != nil, "resolution", "choose how it ended: \(Contact.Resolution.choices)")
        let wellbeing = form.wellbeing?.nilIfBlank.flatMap(Contact.Wellbeing.init(rawValue:))
        if form.wellbeing?.nilIfBlank != nil, wellbeing == nil {
            v.add("wellbeing", "choose heated or abusive, or leave it empty")
        }
        try v.finish()
        try contact.describe(reason: form.reason, summary: form.summary)
        try contact.name(rootCauses: form.rootCauses ?? [], of: try await contact.$program.get(on: db))
        contact.resolution = resolution
        if contact.wrappedAt == nil { contact.wrappedAt = now }
        if let wellbeing {
            contact.wellbeing = wellbeing
            contact.wellbeingByID = principal.userID
            contact.wellbeingAt = now
        }
        return try await db.writeTransaction { db in
            try await contact.save(on: db)
            if wellbeing != nil,
                try await Wellbeing.startBreak(for: principal.userID, programID: contact.$program.id, now: now, on: db)
                    != nil
            {
                return true
            }
            guard
                try await PresenceRecord.query(on: db).filter(\.$user.$id == principal.userID).first()?.state
                    == .wrapUp
            else { return false }
            _ = try await RepPresence.set(.available, userID: principal.userID, by: nil, until: nil, now: now, on: db)
            return true
        }
    }

    /// The contact a rep is on now, or else their latest ended one (within the last day) still to wrap up.
    static func current(of rep: UUID, now: Date, on db: any Database) async throws -> Contact? {
        let recent = try await Contact.query(on: db).filter(\.$rep.$id == rep)
            .filter(\.$arrivedAt >= now.addingTimeInterval(-86_400)).filter(\.$status ~~ [.connected, .ended])
            .sort(\.$arrivedAt, .descending).with(\.$customer).all()
        return recent.first { $0.status == .connected } ?? recent.first { $0.resolution == nil }
    }
}
