import Foundation
import Testing

@testable import Daymaker

/// A real SMTP server for a test: `Tests/smtp/server.py` (aiosmtpd) on 127.0.0.1, with STARTTLS on a certificate
/// made for the test and AUTH PLAIN when asked, saving each message it accepts.
final class SMTPServer: @unchecked Sendable {
    struct Received: Decodable {
        var from: String
        var to: [String]
        var tls: Bool
        var authenticated: Bool
        var message: String
    }

    var port: Int { server.port }
    /// The certificate to trust (with TLS).
    let certificate: String?
    private let server: PythonServer

    init(tls: Bool, user: String? = nil, password: String? = nil, port: Int? = nil) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var arguments: [String] = []
        if tls {
            let cert = directory.appendingPathComponent("cert.pem").path
            let key = directory.appendingPathComponent("key.pem").path
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj",
                "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            arguments += ["--cert", cert, "--key", key]
            certificate = cert
        } else {
            certificate = nil
        }
        if let user, let password { arguments += ["--user", user, "--password", password] }
        if let port { arguments += ["--port", String(port)] }
        server = try PythonServer(script: "Tests/smtp/server.py", directory: directory, arguments: arguments)
    }

    /// The messages received so far, oldest first.
    func received() throws -> [Received] { try server.received(Received.self) }

    func stop() { server.stop() }
}
