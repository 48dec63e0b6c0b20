import DaymakerCore

enum CustomerError: DomainError, Equatable {
    case numberTaken(String)
    /// Every customer number tried for a new caller was taken by a concurrent request.
    case noFreeNumber

    var kind: DomainErrorKind { .conflict }

    var description: String {
        switch self {
        case .numberTaken(let number): "Customer number \(number) is already used in this program."
        case .noFreeNumber: "Could not find a free customer number; try again."
        }
    }
}
