import Foundation

/// How one campaign call went, as the rep records it.
public enum CallbackOutcome: String, ClosedSet, Sendable {
    case helped = "reached-helped"
    case nothingNeeded = "reached-nothing-needed"
    case voicemail
    case noAnswer = "no-answer"
    case busy
    case wrongNumber = "wrong-number"
    case callLater = "call-later"
    case doNotCall = "do-not-call"

    /// Whether the customer was on the line.
    public var reached: Bool { [.helped, .nothingNeeded, .callLater, .doNotCall].contains(self) }
}

/// How often a campaign tries a number that does not answer.
public struct RetryPolicy: Codable, Equatable, Sendable {
    /// Calls to one number at most (a "call later" the customer asked for is always honoured).
    public var maxAttempts: Int
    /// Minutes at least between two calls to one number.
    public var spacingMinutes: Int

    public static let standard = RetryPolicy(maxAttempts: 3, spacingMinutes: 120)

    public init(maxAttempts: Int, spacingMinutes: Int) {
        self.maxAttempts = maxAttempts
        self.spacingMinutes = spacingMinutes
    }

    public func validate() throws(ValidationFailure) {
        var errors = FieldValidator()
        errors.check((1...10).contains(maxAttempts), "maxAttempts", "must be 1 to 10")
        errors.check((5...10_080).contains(spacingMinutes), "spacingMinutes", "must be 5 minutes to 7 days")
        try errors.finish()
    }

    /// What happens to a number after a call: nil when it is finished, else when it is due again (before its
    /// calling window is applied). `attempts` counts this call.
    public func nextCall(after outcome: CallbackOutcome, attempts: Int, now: Date, callLaterAt: Date?) -> Date? {
        switch outcome {
        case .helped, .nothingNeeded, .wrongNumber, .doNotCall: nil
        case .callLater: max(callLaterAt ?? now, now.addingTimeInterval(60))
        case .voicemail, .noAnswer, .busy:
            attempts >= maxAttempts ? nil : now.addingTimeInterval(TimeInterval(spacingMinutes * 60))
        }
    }
}
