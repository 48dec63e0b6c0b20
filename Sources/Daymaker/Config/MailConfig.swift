import DaymakerCore
import Foundation

/// The SMTP server Daymaker sends mail through (incident auto-replies), from `DAYMAKER_SMTP_*`. Without
/// `DAYMAKER_SMTP_HOST` no mail is sent.
public struct MailConfig: Sendable, Equatable {
    public enum Security: String, Sendable, CaseIterable {
        /// Upgrade to TLS with STARTTLS before anything else is said (port 587); the server's certificate is checked.
        case starttls
        /// Plain text: only for a relay on this machine or a trusted network.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// The address mail comes from (`noreply@example.com`).
    public var from: String
    /// PEM file of the certificate authorities to trust instead of the system's (a private relay).
    public var caFile: String?
    /// The name Daymaker gives itself in EHLO.
    public var heloName: String

    init(
        host: String, port: Int, security: Security, username: String?, password: String?, from: String,
        caFile: String?, heloName: String
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.from = from
        self.caFile = caFile
        self.heloName = heloName
    }

    init?(environment value: (String) -> String?, publicHost: String) throws {
        guard let host = value("DAYMAKER_SMTP_HOST") else { return nil }
        self.host = host
        if let raw = value("DAYMAKER_SMTP_PORT") {
            guard let port = Int(raw), (1...65535).contains(port) else {
                throw AppConfig.Error(variable: "DAYMAKER_SMTP_PORT", problem: "expected a port number, got '\(raw)'")
            }
            self.port = port
        } else {
            self.port = 587
        }
        let security = value("DAYMAKER_SMTP_SECURITY") ?? "starttls"
        guard let parsed = Security(rawValue: security.lowercased()) else {
            throw AppConfig.Error(
                variable: "DAYMAKER_SMTP_SECURITY", problem: "expected starttls or none, got '\(security)'")
        }
        self.security = parsed
        self.username = value("DAYMAKER_SMTP_USERNAME")
        self.password = value("DAYMAKER_SMTP_PASSWORD")
        if username != nil, password == nil {
            throw AppConfig.Error(
                variable: "DAYMAKER_SMTP_PASSWORD", problem: "must be set with DAYMAKER_SMTP_USERNAME")
        }
        guard let from = value("DAYMAKER_SMTP_FROM"), EmailAddress.isPlausible(from.lowercased()) else {
            throw AppConfig.Error(
                variable: "DAYMAKER_SMTP_FROM",
                problem: "expected the address mail comes from, such as noreply@example.com")
        }
        self.from = from
        if let file = value("DAYMAKER_SMTP_CA_FILE") {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw AppConfig.Error(variable: "DAYMAKER_SMTP_CA_FILE", problem: "cannot read '\(file)'")
            }
            self.caFile = file
        }
        self.heloName = publicHost
    }
}
