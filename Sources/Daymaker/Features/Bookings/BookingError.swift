import DaymakerCore

enum BookingError: DomainError, Equatable {
    case cancelled
    case externalIDTaken(String)

    var kind: DomainErrorKind { .conflict }

    var description: String {
        switch self {
        case .cancelled: "This booking was cancelled; it cannot be confirmed."
        case .externalIDTaken(let external): "A booking with externalId \(external) already exists in this program."
        }
    }
}
