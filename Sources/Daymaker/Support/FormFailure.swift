import DaymakerCore
import Vapor

/// Why a form's action failed, when the person can fix it: the fields to mark and the status to answer with.
/// Anything else (a fault, a missing record) is not a form matter and is thrown on to the error page.
struct FormFailure {
    var errors: [FieldError]
    var status: HTTPResponseStatus

    /// `field` is the input a conflict (a code or email already taken) is shown next to.
    init?(_ error: any Error, field: String) {
        switch error {
        case let failure as ValidationFailure:
            errors = failure.errors
            status = .unprocessableEntity
        case let domain as any DomainError where domain.kind == .conflict:
            errors = [FieldError(field: field, detail: domain.description)]
            status = .conflict
        default:
            return nil
        }
    }

    /// The errors in one line, for pages that show them above the form.
    var summary: String { errors.map { "\($0.field): \($0.detail)" }.joined(separator: "; ") }
}
