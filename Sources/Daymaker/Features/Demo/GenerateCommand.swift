import Foundation
import Vapor

/// `daymaker generate --customers N --contacts M --seed S [--samples FILE]`: realistic data at scale for benchmarks.
struct GenerateCommand: DaymakerCommand {
    struct Signature: CommandSignature {
        @Option(name: "customers", help: "How many customers, 1 to 50000000 (default 1000)") var customers: String?
        @Option(name: "contacts", help: "How many contacts in all, 0 to 500000000 (default 10 per customer)")
        var contacts: String?
        @Option(name: "seed", help: "Random seed, 0 or more; the same seed gives the same data (default 1)") var seed:
            String?
        @Option(name: "samples", help: "Write benchmark lookups (program, phone as typed, known) to this file")
        var samples: String?
    }

    var help: String { "Fill the database with generated customers and contacts (for benchmarks)" }
    var examples: [String] {
        ["daymaker generate --customers 1000000 --contacts 10000000 --seed 7 --samples lookups.tsv"]
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let customers = try CommandLineInput.number(signature.customers, "customers", in: 1...50_000_000) ?? 1000
        let contacts =
            try CommandLineInput.number(signature.contacts, "contacts", in: 0...500_000_000) ?? customers * 10
        let seed = try CommandLineInput.number(signature.seed, "seed", in: 0...Int.max) ?? 1
        let app = context.application
        try await app.autoMigrate()
        // How long things take is measured on a clock no one moves; the data's own dates come from the app's clock.
        let clock = ContinuousClock()
        let started = clock.now
        var lastPrint: ContinuousClock.Instant?
        var stageStarted = (name: "", at: started)
        var generator = DataGenerator(customers: customers, contacts: contacts, seed: UInt64(seed), now: app.clock.now)
        generator.progress = { stage, done, total in
            let now = clock.now
            if stage != stageStarted.name {
                if !stageStarted.name.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
                stageStarted = (stage, now)
            }
            guard lastPrint.map({ Self.seconds(from: $0, to: now) > 0.5 }) ?? true || done == total else { return }
            lastPrint = now
            let fraction = total == 0 ? 1 : Double(done) / Double(total)
            let bar =
                String(repeating: "█", count: Int(fraction * 30))
                + String(repeating: "░", count: 30 - Int(fraction * 30))
            // The stage's own rate, and its time so far (a stage of a few long steps, like building indexes, has a
            // rate near zero).
            let elapsed = max(Self.seconds(from: stageStarted.at, to: now), 0.001)
            FileHandle.standardError.write(
                Data(
                    String(
                        format: "\r%@ %@ %3.0f%%  %d / %d  %.0f/s  %.0f s ", stage, bar, fraction * 100, done, total,
                        Double(done) / elapsed, elapsed
                    ).utf8))
        }
        let result = try await generator.run(app: app)
        FileHandle.standardError.write(Data("\n".utf8))
        let seconds = Self.seconds(from: started, to: clock.now)
        context.console.print(
            String(
                format: "Generated %d customers and %d contacts in %.1f s (%.0f contacts/s).",
                result.customers, result.contacts, seconds, Double(result.contacts) / max(seconds, 0.001)))
        if let path = signature.samples {
            let lines = result.samplePhones.map { "\($0.program)\t\($0.phone)\t\($0.known ? "known" : "unknown")" }
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            context.console.print("Wrote \(lines.count) sample lookups to \(path).")
        }
    }

    private static func seconds(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) -> Double {
        let duration = start.duration(to: end).components
        return Double(duration.seconds) + Double(duration.attoseconds) / 1e18
    }
}
