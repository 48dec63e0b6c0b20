/// One field that failed validation, named as the client sent it (`phones[1]`, `email`, `--program` on the command
/// line) with what is wrong in words a person can act on.
public struct FieldError: Codable, Equatable, Sendable {
    public var field: String
    public var detail: String

    public init(field: String, detail: String) {
        self.field = field
        self.detail = detail
    }
}

/// Input that cannot be accepted, with every failing field. The API answers it as a 422 problem, a page shows the
/// fields next to their inputs, the command line names its options.
public struct ValidationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    public init(field: String, _ detail: String) {
        self.errors = [FieldError(field: field, detail: detail)]
    }

    public var fields: [String] { errors.map(\.field) }

    public var description: String { errors.map { "\($0.field): \($0.detail)" }.joined(separator: "; ") }
}

/// Collects field errors while validating input, then throws them together.
public struct FieldValidator: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func add(_ field: String, _ detail: String) {
        errors.append(FieldError(field: field, detail: detail))
    }

    /// Records every error of a failure found by another check.
    public mutating func add(contentsOf failure: ValidationFailure) {
        errors += failure.errors
    }

    /// Records an error unless `condition` holds.
    public mutating func check(_ condition: Bool, _ field: String, _ detail: String) {
        if !condition { add(field, detail) }
    }

    /// A trimmed, non-empty string of at most `maxLength` characters (Unicode code points, as JSON Schema's
    /// maxLength counts them), without NUL characters (which PostgreSQL cannot store); nil when blank.
    public mutating func text(_ value: String?, _ field: String, required: Bool = true, maxLength: Int = 200) -> String?
    {
        let trimmed = value?.trimmingWhitespace ?? ""
        if trimmed.utf8.contains(0) {
            add(field, "must not contain a NUL character")
            return nil
        }
        if trimmed.isEmpty {
            if required { add(field, "is required") }
            return nil
        }
        if trimmed.unicodeScalars.count > maxLength {
            add(field, "must be at most \(maxLength) characters")
            return nil
        }
        return trimmed
    }

    /// Records an error when a list is longer than `max`; returns whether it may be read item by item.
    public mutating func count<T>(_ list: [T], _ field: String, max: Int, _ what: String) -> Bool {
        guard list.count <= max else {
            add(field, "at most \(max) \(what)")
            return false
        }
        return true
    }

    public func finish() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
