import Foundation

/// When a challenge takes stories: not before it starts, not after it ends or once its manager closed it.
public struct ChallengeWindow: Equatable, Sendable {
    public enum Phase: String, Sendable, Codable, CaseIterable {
        case upcoming
        case running
        case ended
        case closed
    }

    public let start: Date
    public let end: Date
    public let closedAt: Date?

    public init(start: Date, end: Date, closedAt: Date?) {
        self.start = start
        self.end = end
        self.closedAt = closedAt
    }

    /// Where the challenge is at `now`; stories are taken only while it is running.
    public func phase(at now: Date) -> Phase {
        if closedAt != nil { return .closed }
        if now < start { return .upcoming }
        return now < end ? .running : .ended
    }
}

/// The questions a manager sends after answering a story: by default the three from the field (seed 004) for a
/// day made, and supportive ones for a hard contact.
public enum FollowUpQuestions {
    public static let standard = [
        "How did it feel?",
        "Was it a fluke, or your power?",
        "Do you do this on every call?",
    ]

    public static let hardContact = [
        "How are you feeling now?",
        "What did you do that you would do again?",
        "What could we, as a company, have done differently?",
    ]

    /// Checks a manager's list: one to ten questions, each 1 to 500 characters, blanks dropped.
    public static func checked(
        _ questions: [String]?, field: String, into errors: inout FieldValidator
    ) -> [String]? {
        guard let questions else { return nil }
        let kept = questions.map(\.trimmingWhitespace).filter { !$0.isEmpty }
        errors.check((1...10).contains(kept.count), field, "must hold 1 to 10 questions")
        for (index, question) in kept.enumerated() where question.unicodeScalars.count > 500 {
            errors.add("\(field)[\(index)]", "must be at most 500 characters")
        }
        return kept
    }
}

/// What the company could have done differently, as a challenge's closing summary tags it (the insights count them).
public enum RootCause: String, ClosedSet, Sendable {
    case unclearWebsite = "unclear-website"
    case pointOfSale = "point-of-sale"
    case waitTime = "wait-time"
    case policy
    case productFault = "product-fault"
    case repTools = "rep-tools"
    case other
}
