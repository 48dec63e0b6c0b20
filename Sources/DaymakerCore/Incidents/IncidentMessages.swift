/// What an incident tells the people it affects: a title and a public message for the status page and the
/// banner, the message the IVR speaks, and optionally the reply sent to customers who email meanwhile.
///
/// The IVR message is read aloud by a text-to-speech engine, so it is kept short and plain: no markup, no links.
public struct IncidentMessages: Sendable, Equatable {
    public static let titleLimit = 120
    public static let publicLimit = 2_000
    public static let ivrLimit = 600
    public static let emailLimit = 5_000
    public static let updateLimit = 2_000

    public let title: String
    public let publicMessage: String
    public let ivrMessage: String
    public let emailReply: String?

    /// Checks every field together, naming them as the API does (the command line maps them to its options).
    public init(
        title: String?, publicMessage: String?, ivrMessage: String?, emailReply: String?
    ) throws(ValidationFailure) {
        var v = FieldValidator()
        let title = v.text(title, "title", maxLength: Self.titleLimit)
        let publicMessage = v.text(publicMessage, "publicMessage", maxLength: Self.publicLimit)
        let ivrMessage = v.text(ivrMessage, "ivrMessage", maxLength: Self.ivrLimit)
        if let ivrMessage, let found = Self.unspeakable(ivrMessage) {
            v.add("ivrMessage", "is spoken by the IVR: leave out \(found)")
        }
        let emailReply = v.text(emailReply, "emailReply", required: false, maxLength: Self.emailLimit)
        try v.finish()
        self.title = title!
        self.publicMessage = publicMessage!
        self.ivrMessage = ivrMessage!
        self.emailReply = emailReply
    }

    /// These messages with the changes an update brings (a field left nil stays as it is).
    public func changed(
        title: String?, publicMessage: String?, ivrMessage: String?, emailReply: String?
    ) throws(ValidationFailure) -> IncidentMessages {
        try IncidentMessages(
            title: title ?? self.title, publicMessage: publicMessage ?? self.publicMessage,
            ivrMessage: ivrMessage ?? self.ivrMessage, emailReply: emailReply ?? self.emailReply)
    }

    /// An update's text: required, at most ``updateLimit`` characters.
    public static func update(_ text: String?, field: String = "message") throws(ValidationFailure) -> String {
        var v = FieldValidator()
        let text = v.text(text, field, maxLength: updateLimit)
        try v.finish()
        return text!
    }

    /// What a speech engine would read out literally or choke on: markup and web addresses.
    static func unspeakable(_ text: String) -> String? {
        if text.contains("<") || text.contains(">") { return "markup (< and >)" }
        let lowered = text.lowercased()
        if lowered.contains("http://") || lowered.contains("https://") || lowered.contains("www.") {
            return "web addresses (say \"our status page\" instead)"
        }
        return nil
    }
}

/// What cannot be done to an incident.
public enum IncidentError: DomainError, Equatable {
    /// It is over: updates and resolving are for active incidents.
    case resolved
    /// It touches programs the supervisor does not see.
    case othersPrograms

    public var kind: DomainErrorKind {
        switch self {
        case .resolved: .conflict
        case .othersPrograms: .forbidden
        }
    }

    public var description: String {
        switch self {
        case .resolved: "This incident is resolved; declare a new one if service is disrupted again."
        case .othersPrograms: "This incident also touches programs you do not supervise; ask an admin to change it."
        }
    }
}
