import Foundation

/// Who is asking: a signed-in user (browser session) or an integration's bearer token.
///
/// Every route asks the principal before it touches a record. A record of a program the principal
/// cannot see is answered as *not found*, so other programs' records cannot even be probed.
struct Principal: Sendable, Equatable {
    let userID: UUID
    let role: Role
    let displayName: String
    let programIDs: Set<UUID>
    /// The token's scopes; nil for a browser session, which may do whatever the role allows.
    let scopes: Set<Scope>?

    var isAdmin: Bool { role == .admin && allows(.admin) }

    /// Whether records of this program are visible at all.
    func canSee(program: UUID) -> Bool {
        role == .admin || programIDs.contains(program)
    }

    /// The programs a query must stay inside, or nil for "every program" (admins).
    var visiblePrograms: Set<UUID>? { role == .admin ? nil : programIDs }

    func allows(_ scope: Scope) -> Bool { scopes?.contains(scope) ?? true }

    /// Throws 404 unless the program is visible.
    func requireVisible(program: UUID, _ what: String = "The requested record") throws(Problem) {
        guard canSee(program: program) else { throw Problem.notFound(what) }
    }

    /// Throws 403 unless the role is at least `minimum` (and a token carries the admin scope for admin work).
    func require(_ minimum: Role) throws(Problem) {
        guard role >= minimum else {
            throw Problem.forbidden("This needs the \(minimum.rawValue) role; you are signed in as a \(role.rawValue).")
        }
        if minimum == .admin, !allows(.admin) {
            throw Problem.forbidden("This token lacks the admin scope.")
        }
    }

    /// Throws 403 unless a token carries the scope.
    func require(scope: Scope) throws(Problem) {
        guard allows(scope) else { throw Problem.forbidden("This token lacks the \(scope.rawValue) scope.") }
    }
}
