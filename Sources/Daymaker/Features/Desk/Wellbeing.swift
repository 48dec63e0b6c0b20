import DaymakerCore
import Fluent
import Foundation

/// A contact that was hard on the rep: flagged heated or abusive by the rep in wrap-up (or by a supervisor). The rep
/// gets a short break before the next offer (the program's `hardContactBreak`; in wrap-up, so no offer reaches
/// them, and kept apart from their handling time), their supervisors see it live, and it is counted per rep.
enum Wellbeing {
    /// Flags the contact: its own rep, or a supervisor of its program (others' contacts: 404; another rep's: 403).
    static func flag(
        _ flag: Contact.Wellbeing, contactID: UUID, by principal: Principal, now: Date, on db: any Database
    ) async throws -> Contact {
        guard let contact = try await Contact.find(contactID, on: db), principal.canSee(program: contact.$program.id)
        else { throw NotFound("Contact") }
        if contact.$rep.id != principal.userID { try principal.require(.supervisor) }
        contact.wellbeing = flag
        contact.wellbeingByID = principal.userID
        contact.wellbeingAt = now
        try await contact.save(on: db)
        return contact
    }

    /// The break after a hard contact: wrap-up until it ends (the routing ticker makes the rep available then).
    static func startBreak(
        for rep: UUID, programID: UUID, now: Date, on db: any Database
    ) async throws -> Date? {
        let seconds = try await RoutingSettings.load(programID: programID, on: db).hardContactBreak
        guard seconds > 0 else { return nil }
        let until = now.addingTimeInterval(seconds)
        _ = try await RepPresence.set(.wrapUp, userID: rep, by: nil, until: until, now: now, on: db)
        return until
    }

    /// The rep's flagged contacts of the last day that are not yet a story, for "share it as a hard contact".
    static func recent(of rep: UUID, now: Date, on db: any Database) async throws -> [Contact] {
        let flagged = try await Contact.query(on: db).filter(\.$rep.$id == rep)
            .filter(\.$arrivedAt >= now.addingTimeInterval(-86_400)).filter(\.$wellbeing != nil)
            .sort(\.$arrivedAt, .descending).with(\.$customer).limit(5).all()
        guard !flagged.isEmpty else { return [] }
        let told = Set(
            try await ChallengeStory.query(on: db).filter(\.$contactID ~~ flagged.compactMap(\.id)).all(\.$contactID)
                .compactMap { $0 })
        return flagged.filter { !told.contains($0.id!) }
    }
}
