import DaymakerCore

/// What a user may do. Ordered: every role can do what the roles before it can.
enum Role: String, ClosedSet, Comparable, Sendable {
    case rep
    case supervisor
    case admin

    private var rank: Int {
        switch self {
        case .rep: 0
        case .supervisor: 1
        case .admin: 2
        }
    }

    static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
