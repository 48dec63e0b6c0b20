import Fluent
import Foundation

extension User {
    /// The active reps of these programs, for a form's choices: their id (lower case) and "Name (CODE)", checked
    /// when chosen. A rep of two programs is offered once per program.
    static func repChoices(
        in programs: [Program], chosen: Set<String>, on db: any Database
    ) async throws -> [FormChoice] {
        let codes = Program.codes(programs)
        let memberships = try await ProgramMembership.query(on: db).filter(\.$program.$id ~~ Set(codes.keys))
            .join(User.self, on: \ProgramMembership.$user.$id == \User.$id)
            .filter(User.self, \.$role == .rep).filter(User.self, \.$active == true)
            .sort(User.self, \.$displayName).all()
        return try memberships.map { membership in
            let user = try membership.joined(User.self)
            let id = try user.requireID().lowercaseText
            return FormChoice(
                value: id, label: "\(user.displayName) (\(codes[membership.$program.id] ?? ""))",
                checked: chosen.contains(id))
        }
    }
}
