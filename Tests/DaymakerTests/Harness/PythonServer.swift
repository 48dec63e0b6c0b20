import Foundation

/// A server a test talks to for real, written in Python (`Tests/…/*.py`) and started on 127.0.0.1: it prints
/// `PORT <n>` once it listens and saves what it receives as JSON files in a directory of its own.
final class PythonServer: @unchecked Sendable {
    let port: Int
    let directory: URL
    private let process: Process

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Starts `script` (relative to the repository) with `arguments`; `--dir` is added.
    init(script: String, directory: URL, arguments: [String]) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", Self.repository.appendingPathComponent(script).path, "--dir", directory.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw Failure(text: "\(script) did not start") }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let port = Int(text.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
        else { throw Failure(text: text) }
        self.port = port
    }

    struct Failure: Error { let text: String }

    /// What it received so far, oldest first.
    func received<Record: Decodable>(_ type: Record.Type) throws -> [Record] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
            .map { try JSONDecoder().decode(Record.self, from: Data(contentsOf: directory.appendingPathComponent($0))) }
    }

    /// SIGKILL: a test process may hand its children SIGTERM ignored.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A real HTTP receiver for Daymaker's outgoing webhooks: `Tests/webhook/receiver.py`, which checks each request's
/// signature with Python's `hmac` and answers with the given statuses in turn (the last repeats).
final class WebhookReceiver: @unchecked Sendable {
    struct Received: Decodable {
        var path: String
        var headers: [String: String]
        var body: String
        /// The signature was right for the body, the timestamp and the secret.
        var signed: Bool
        var status: Int
    }

    private let server: PythonServer
    var url: String { "http://127.0.0.1:\(server.port)/sms" }

    init(secret: String, answers: [Int] = [200]) throws {
        server = try PythonServer(
            script: "Tests/webhook/receiver.py",
            directory: FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString)"),
            arguments: ["--secret", secret, "--answers", answers.map(String.init).joined(separator: ",")])
    }

    func received() throws -> [Received] { try server.received(Received.self) }

    func stop() { server.stop() }
}
