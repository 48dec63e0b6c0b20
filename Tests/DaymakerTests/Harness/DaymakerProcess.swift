import Foundation
import NIOConcurrencyHelpers
import Testing

/// Runs the real `daymaker` executable, built next to this test bundle.
struct DaymakerProcess {
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("daymaker")
    }

    let environment: [String: String]

    /// Runs a command to completion with `input` on standard input.
    func run(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Starts `daymaker serve` and waits until it listens; returns the process and its base URL.
    func serve() async throws -> (Process, String, NIOLockedValueBox<String>) {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["serve"]
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let log = NIOLockedValueBox("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            log.withLockedValue { $0 += chunk }
        }
        try process.run()
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline {
            let text = log.withLockedValue { $0 }
            if let range = text.range(of: #"Server started on http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
                let url = String(text[range].dropFirst("Server started on ".count))
                return (process, url, log)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw ProcessError.didNotStart(log.withLockedValue { $0 })
    }

    enum ProcessError: Error { case didNotStart(String) }
}
