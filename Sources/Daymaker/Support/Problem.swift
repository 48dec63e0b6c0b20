import DaymakerCore
import Vapor

/// An RFC 9457 problem: what the API answers for every error, and what error pages show. Features throw their own
/// errors (`ValidationFailure`, a `DomainError`); `ProblemMiddleware` turns them into this. Only the HTTP edge
/// throws a problem itself (not signed in, a body that is not JSON).
struct Problem: Error, Content, Equatable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var errors: [FieldError]?
    /// Set on server errors: the request id the log line carries, to quote when reporting the fault.
    var requestId: String?

    init(slug: String, title: String, status: HTTPResponseStatus, detail: String, errors: [FieldError]? = nil) {
        self.type = "urn:daymaker:problem:\(slug)"
        self.title = title
        self.status = Int(status.code)
        self.detail = detail
        self.errors = errors
    }

    var httpStatus: HTTPResponseStatus { .init(statusCode: status) }

    /// A feature's error in HTTP terms: its kind decides the status, its description is the detail.
    init(_ error: any DomainError) {
        switch error.kind {
        case .notFound: self.init(slug: "not-found", title: "Not found", status: .notFound, detail: error.description)
        case .conflict: self.init(slug: "conflict", title: "Conflict", status: .conflict, detail: error.description)
        case .forbidden:
            self.init(slug: "forbidden", title: "Not allowed", status: .forbidden, detail: error.description)
        }
    }

    static func notFound(_ what: String = "The requested record") -> Problem {
        .init(NotFound(what))
    }

    static func validation(_ errors: [FieldError]) -> Problem {
        let fields = errors.map(\.field).joined(separator: ", ")
        return .init(
            slug: "validation", title: "Invalid input", status: .unprocessableEntity,
            detail: "Some fields are not valid: \(fields).", errors: errors)
    }

    static func validation(field: String, _ detail: String) -> Problem {
        .validation([.init(field: field, detail: detail)])
    }

    static func unauthorized(_ detail: String = "Sign in or send a valid bearer token.") -> Problem {
        .init(slug: "unauthorized", title: "Not signed in", status: .unauthorized, detail: detail)
    }

    static func forbidden(_ detail: String) -> Problem {
        .init(slug: "forbidden", title: "Not allowed", status: .forbidden, detail: detail)
    }

    static func conflict(_ detail: String) -> Problem {
        .init(slug: "conflict", title: "Conflict", status: .conflict, detail: detail)
    }

    static func methodNotAllowed(_ method: HTTPMethod, allowed: [String]) -> Problem {
        .init(
            slug: "method-not-allowed", title: "Method not allowed", status: .methodNotAllowed,
            detail: "This path does not answer \(method.rawValue); it answers \(allowed.joined(separator: ", ")).")
    }

    static let unsupportedMediaType = Problem(
        slug: "unsupported-media-type", title: "Unsupported media type", status: .unsupportedMediaType,
        detail: "Send the body as application/json.")

    static func badRequest(_ detail: String) -> Problem {
        .init(slug: "bad-request", title: "Bad request", status: .badRequest, detail: detail)
    }
}
