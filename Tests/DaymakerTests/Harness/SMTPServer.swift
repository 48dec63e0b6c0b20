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

    let port: Int
    let directory: URL
    /// The certificate to trust (with TLS).
    let certificate: String?
    private let process: Process

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    init(tls: Bool, user: String? = nil, password: String? = nil, port: Int? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var arguments = [Self.repository.appendingPathComponent("Tests/smtp/server.py").path, "--dir", directory.path]
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
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw SMTPServerError(text: "the SMTP server did not start") }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let port = Int(text.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
        else { throw SMTPServerError(text: text) }
        self.port = port
    }

    struct SMTPServerError: Error { let text: String }

    /// The messages received so far, oldest first.
    func received() throws -> [Received] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
            .map {
                try JSONDecoder().decode(Received.self, from: Data(contentsOf: directory.appendingPathComponent($0)))
            }
    }

    /// SIGKILL: a test process may hand its children SIGTERM ignored.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}
