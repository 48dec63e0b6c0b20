/// An error a feature raises in its own words: a record that is not there, a value already taken, an action the
/// principal may not take. Each feature has its enum (`CustomerError`, `BookingError`, …); only the edges decide
/// what it becomes — a problem+json status for the API, an error page for people, a message on the command line.
public protocol DomainError: Error, CustomStringConvertible, Sendable {
    var kind: DomainErrorKind { get }
}

public enum DomainErrorKind: Sendable, Equatable {
    /// The record does not exist, or is not the principal's to see (the two are not told apart).
    case notFound
    /// The request collides with what is stored: a unique value taken, a record in the wrong state.
    case conflict
    /// The principal is known but may not do this.
    case forbidden
}

/// A record that does not exist or is not the principal's to see: `NotFound("Customer")`.
public struct NotFound: DomainError, Equatable {
    public var what: String

    public init(_ what: String) {
        self.what = what
    }

    public var kind: DomainErrorKind { .notFound }
    public var description: String { "\(what) does not exist or is not yours to see." }
}
