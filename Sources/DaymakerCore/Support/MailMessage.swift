import Foundation

/// A plain-text message as RFC 5322 writes it: headers without line breaks a value could smuggle in, a subject
/// outside ASCII as an RFC 2047 encoded word, the body in base64 lines so any text survives any relay. An
/// automatic reply says so (`Auto-Submitted: auto-replied`, RFC 3834), so that mail systems do not answer it.
public struct MailMessage: Sendable, Equatable {
    public var fromName: String
    public var fromAddress: String
    public var to: String
    public var subject: String
    public var body: String
    public var date: Date
    public var messageID: String
    public var autoReply: Bool

    public init(
        fromName: String, fromAddress: String, to: String, subject: String, body: String, date: Date,
        messageID: String, autoReply: Bool
    ) {
        self.fromName = fromName
        self.fromAddress = fromAddress
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID
        self.autoReply = autoReply
    }

    /// The message, lines ending in CRLF.
    public var text: String {
        var headers = [
            "From: \(Self.phrase(fromName)) <\(Self.oneLine(fromAddress))>",
            "To: <\(Self.oneLine(to))>",
            "Subject: \(Self.phrase(subject))",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: <\(Self.oneLine(messageID))>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
        ]
        if autoReply { headers.append("Auto-Submitted: auto-replied") }
        let encoded = Data(
            body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8
        )
        .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + encoded + "\r\n"
    }

    /// A header value on one line: line breaks and other control characters become spaces.
    static func oneLine(_ value: String) -> String {
        String(
            String.UnicodeScalarView(value.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    /// Printable ASCII as it is; anything else as one encoded word.
    static func phrase(_ value: String) -> String {
        let line = oneLine(value)
        if line.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }), !line.contains("=?") {
            return line
        }
        return "=?utf-8?B?" + Data(line.utf8).base64EncodedString() + "?="
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
