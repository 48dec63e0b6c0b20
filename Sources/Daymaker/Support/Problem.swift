import Vapor

/// An RFC 9457 problem: what the API answers for every error, and what error pages show.
struct Problem: Error, Content, Equatable {
    struct FieldError: Content, Equatable {
        /// The failing field as a JSON pointer-like path (`phones[1]`, `email`).
        var field: String
        var detail: String
    }

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

    static func notFound(_ what: String = "The requested record") -> Problem {
        .init(slug: "not-found", title: "Not found", status: .notFound, detail: "\(what) does not exist or is not yours to see.")
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

    /// A fault on our side; the client sees a generic 500 (details only in the log).
    static func `internal`(_ detail: String) -> Problem {
        .init(slug: "internal", title: "Internal error", status: .internalServerError, detail: detail)
    }

    static func methodNotAllowed(_ method: HTTPMethod, allowed: [String]) -> Problem {
        .init(slug: "method-not-allowed", title: "Method not allowed", status: .methodNotAllowed,
              detail: "This path does not answer \(method.rawValue); it answers \(allowed.joined(separator: ", ")).")
    }

    static func badRequest(_ detail: String) -> Problem {
        .init(slug: "bad-request", title: "Bad request", status: .badRequest, detail: detail)
    }
}

/// Collects field errors while validating input, then throws them together.
struct Validator {
    private(set) var errors: [Problem.FieldError] = []

    mutating func add(_ field: String, _ detail: String) {
        errors.append(.init(field: field, detail: detail))
    }

    /// Records an error unless `condition` holds.
    mutating func check(_ condition: Bool, _ field: String, _ detail: String) {
        if !condition { add(field, detail) }
    }

    /// A required, trimmed, non-empty string of at most `maxLength` characters (Unicode code points), without NUL characters (which
    /// PostgreSQL cannot store).
    mutating func text(_ value: String?, _ field: String, required: Bool = true, maxLength: Int = 200) -> String? {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.utf8.contains(0) {
            add(field, "must not contain a NUL character")
            return nil
        }
        if trimmed.isEmpty {
            if required { add(field, "is required") }
            return nil
        }
        // Counted in Unicode code points, as JSON Schema's maxLength counts them.
        if trimmed.unicodeScalars.count > maxLength {
            add(field, "must be at most \(maxLength) characters")
            return nil
        }
        return trimmed
    }

    /// Records an error when a list is longer than `max`; returns whether it may be read item by item.
    mutating func count<T>(_ list: [T], _ field: String, max: Int, _ what: String) -> Bool {
        guard list.count <= max else {
            add(field, "at most \(max) \(what)")
            return false
        }
        return true
    }

    func finish() throws(Problem) {
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}
