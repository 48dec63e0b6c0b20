import DaymakerCore

enum ProgramError: DomainError, Equatable {
    case codeTaken(String)

    var kind: DomainErrorKind { .conflict }

    var description: String {
        switch self {
        case .codeTaken(let code): "A program with code \(code) already exists."
        }
    }
}
