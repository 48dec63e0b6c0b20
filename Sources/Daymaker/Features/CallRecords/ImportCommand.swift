import DaymakerCore
import Foundation
import Vapor

/// `daymaker import cdr FILE --program CODE [--zone ZONE]`: a PBX's call records after an outage.
struct ImportCommand: AsyncCommandGroup {
    var help: String { "Import records from other systems" }
    var commands: [String: any AnyAsyncCommand] { ["cdr": CDR()] }

    struct CDR: DaymakerCommand {
        struct Signature: CommandSignature {
            @Argument(name: "file", help: "The call records, any number of rows") var file: String
            @Option(name: "program", help: "The program's code") var program: String?
            @Option(
                name: "format",
                help:
                    "asterisk (cdr_csv's Master.csv, the default), freeswitch (mod_cdr_csv's default template) or csv (a header row)"
            )
            var format: String?
            @Option(
                name: "map",
                help: "For csv: which column is which, as from=Caller,start=Date,status=Result (also to, id, name)")
            var map: String?
            @Option(
                name: "zone",
                help: "The zone the PBX logs times in, e.g. UTC when it logs GMT (default: the program's)")
            var zone: String?
        }

        var help: String { "Import a PBX's call records: every attempt that did not get through is kept" }
        var listOptions: Set<String> { ["map"] }
        var examples: [String] {
            [
                "daymaker import cdr /var/log/asterisk/cdr-csv/Master.csv --program RIDE",
                "daymaker import cdr Master.csv --program RIDE --zone UTC",
                "daymaker import cdr /var/log/freeswitch/cdr-csv/Master.csv --program RIDE --format freeswitch",
                "daymaker import cdr carrier.csv --program RIDE --format csv --map from=Caller,start=Date,status=Result",
            ]
        }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            let program = try await Program.named(signature.program, on: app.db)
            let format = try CallRecordImport.format(signature.format?.lowercased())
            let zone = try CallRecordImport.zone(signature.zone)
            guard let file = FileHandle(forReadingAtPath: signature.file) else {
                throw CommandLineError("\(signature.file): cannot be read (no such file, or not allowed)")
            }
            defer { try? file.close() }
            let total = (try? FileManager.default.attributesOfItem(atPath: signature.file)[.size] as? Int) ?? 0
            var importer = CallRecordImport(
                program: program, format: format, mapping: signature.map, zone: zone, now: app.clock.now,
                events: app.events)
            let started = ContinuousClock.now
            func importing() async throws -> CallRecordImport.Report {
                var read = 0
                var shown = ContinuousClock.now
                while let chunk = try file.read(upToCount: 1 << 16), !chunk.isEmpty {
                    try await importer.read(chunk, on: app.db)
                    read += chunk.count
                    if ContinuousClock.now - shown > .milliseconds(500) {
                        shown = ContinuousClock.now
                        context.console.output(
                            Self.progress(rows: importer.report.rows, read: read, total: total, since: started)
                                .consoleText(),
                            newLine: false)
                    }
                }
                let report = try await importer.finish(on: app.db)
                context.console.output(
                    Self.progress(rows: report.rows, read: read, total: total, since: started).consoleText(),
                    newLine: true)
                return report
            }
            let report =
                if let writer = app.events.sqliteWriter {
                    try await SQLiteCheckpointer.alongside(writer, logger: app.logger, importing)
                } else {
                    try await importing()
                }
            for line in Self.summary(report, program: program.code) { context.console.print(line) }
            for rejected in report.rejected {
                for error in rejected.errors {
                    context.console.error("line \(rejected.line): \(error.field): \(error.detail)")
                }
            }
            if !report.rejected.isEmpty {
                context.console.error(
                    "\(report.rejected.count) row(s) were not imported (listed above); the others were kept.")
                throw ExitCode.failure
            }
        }

        /// `\r 41% 12,000 rows, 24,000 rows/s`.
        static func progress(rows: Int, read: Int, total: Int, since: ContinuousClock.Instant) -> String {
            let seconds = max(0.001, (ContinuousClock.now - since) / .seconds(1))
            let percent = total > 0 ? "\(min(100, read * 100 / total))% " : ""
            return "\r\(percent)\(rows) rows, \(Int(Double(rows) / seconds)) rows/s"
        }

        static func summary(_ report: CallRecordImport.Report, program: String) -> [String] {
            [
                "Imported into \(program): \(report.rows) rows read, \(report.kept) call legs kept, "
                    + "\(report.duplicates) already imported, \(report.rejected.count) rejected.",
                "Calls in the file: \(report.missed) did not get through, \(report.gotThrough) got through.",
            ]
        }
    }
}
