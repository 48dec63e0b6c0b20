import DaymakerCore
import Foundation

enum ContactError: DomainError, Equatable {
    /// The program already has a contact with this external id (the sender's own id for it).
    case externalIDTaken(String, existing: UUID)

    var kind: DomainErrorKind { .conflict }

    var description: String {
        switch self {
        case .externalIDTaken(let external, let id):
            "A contact with externalId \(external) already exists: /api/v1/contacts/\(id.lowercaseText)."
        }
    }
}
