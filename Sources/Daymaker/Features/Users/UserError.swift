import DaymakerCore

enum UserError: DomainError, Equatable {
    case emailTaken(String)
    /// An admin may not lower their own role or deactivate themselves (so a center is never left without one).
    case ownAccess

    var kind: DomainErrorKind { .conflict }

    var description: String {
        switch self {
        case .emailTaken(let address): "A user with email \(address) already exists."
        case .ownAccess: "You cannot lower your own role or deactivate yourself; ask another admin."
        }
    }
}
