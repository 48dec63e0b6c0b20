import DaymakerCore
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
    func requireVisible(program: UUID, _ what: String = "The requested record") throws(NotFound) {
        guard canSee(program: program) else { throw NotFound(what) }
    }

    /// Throws 403 unless the role is at least `minimum` (and a token carries the admin scope for admin work).
    func require(_ minimum: Role) throws(AccessError) {
        guard role >= minimum else { throw .needsRole(minimum, actual: role) }
        if minimum == .admin, !allows(.admin) { throw .needsScope(.admin) }
    }

    /// Throws 403 unless a token carries the scope.
    func require(scope: Scope) throws(AccessError) {
        guard allows(scope) else { throw .needsScope(scope) }
    }
}

/// What a known principal may not do.
enum AccessError: DomainError, Equatable {
    case needsRole(Role, actual: Role)
    case needsScope(Scope)
    /// Pages work inside programs; a user in none has nothing to see yet.
    case noProgram
    /// A request a page of another site made with the user's cookie.
    case crossOrigin

    var kind: DomainErrorKind { .forbidden }

    var description: String {
        switch self {
        case .needsRole(let minimum, let actual):
            "This needs the \(minimum.rawValue) role; you are signed in as a \(actual.rawValue)."
        case .needsScope(let scope): "This token lacks the \(scope.rawValue) scope."
        case .noProgram: "You are not a member of any program yet; ask an admin."
        case .crossOrigin: "This request came from another site; open Daymaker itself."
        }
    }
}
