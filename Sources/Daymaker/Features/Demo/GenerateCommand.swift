import Foundation
import Vapor

/// `daymaker generate --customers N --contacts M --seed S [--samples FILE]`: realistic data at scale for benchmarks.
struct GenerateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "customers", help: "How many customers (default 1000)") var customers: Int?
        @Option(name: "contacts", help: "How many contacts in all (default 10 per customer)") var contacts: Int?
        @Option(name: "seed", help: "Random seed; the same seed gives the same data (default 1)") var seed: Int?
        @Option(name: "samples", help: "Write benchmark lookups (program, phone as typed, known) to this file") var samples: String?
    }

    var help: String { "Fill the database with generated customers and contacts (for benchmarks)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let customers = signature.customers ?? 1000
        let contacts = signature.contacts ?? customers * 10
        guard customers > 0, contacts >= 0, customers <= 50_000_000, contacts <= 500_000_000 else {
            context.console.error("--customers must be 1 to 50,000,000 and --contacts 0 to 500,000,000")
            throw ExitCode.failure
        }
        let app = context.application
        try await app.autoMigrate()
        let started = Date()
        var lastPrint = Date.distantPast
        var stageStarted = (name: "", at: started)
        var generator = DataGenerator(customers: customers, contacts: contacts, seed: UInt64(signature.seed ?? 1))
        generator.progress = { stage, done, total in
            let now = Date()
            if stage != stageStarted.name {
                if !stageStarted.name.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
                stageStarted = (stage, now)
            }
            guard now.timeIntervalSince(lastPrint) > 0.5 || done == total else { return }
            lastPrint = now
            let fraction = total == 0 ? 1 : Double(done) / Double(total)
            let bar = String(repeating: "█", count: Int(fraction * 30)) + String(repeating: "░", count: 30 - Int(fraction * 30))
            // The stage's own rate, and its time so far (a stage of a few long steps, like building indexes, has a
            // rate near zero).
            let elapsed = max(now.timeIntervalSince(stageStarted.at), 0.001)
            FileHandle.standardError.write(Data(String(
                format: "\r%@ %@ %3.0f%%  %d / %d  %.0f/s  %.0f s ", stage, bar, fraction * 100, done, total,
                Double(done) / elapsed, elapsed).utf8))
        }
        do {
            let result = try await generator.run(app: app)
            FileHandle.standardError.write(Data("\n".utf8))
            let seconds = Date().timeIntervalSince(started)
            context.console.print(String(format: "Generated %d customers and %d contacts in %.1f s (%.0f contacts/s).",
                                         result.customers, result.contacts, seconds, Double(result.contacts) / max(seconds, 0.001)))
            if let path = signature.samples {
                let lines = result.samplePhones.map { "\($0.program)\t\($0.phone)\t\($0.known ? "known" : "unknown")" }
                try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
                context.console.print("Wrote \(lines.count) sample lookups to \(path).")
            }
        } catch let problem as Problem {
            throw CommandLineInput.fail(problem, console: context.console)
        }
    }
}
