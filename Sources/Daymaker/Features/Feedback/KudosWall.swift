import DaymakerCore
import Fluent
import Foundation

/// The thanks that reach a rep: on their desk until read.
enum KudosWall {
    /// The rep's unread thanks, newest first.
    static func unread(for rep: UUID, on db: any Database) async throws -> [Kudos] {
        try await Kudos.query(on: db).filter(\.$repID == rep).filter(\.$readAt == nil)
            .sort(\.$createdAt, .descending).limit(50).all()
    }

    /// Marks one of the rep's own thanks read; anyone else's is not found.
    static func markRead(_ id: UUID, by principal: Principal, now: Date, on db: any Database) async throws {
        guard let kudos = try await Kudos.find(id, on: db), kudos.repID == principal.userID else {
            throw NotFound("Kudos")
        }
        guard kudos.readAt == nil else { return }
        kudos.readAt = now
        try await kudos.save(on: db)
    }
}

extension Kudos {
    /// "Mrs Alvarez thanked you", "Tom sent you kudos".
    var heading: String {
        source == .customer ? "\(fromName) thanked you" : "\(fromName) sent you kudos"
    }
}
