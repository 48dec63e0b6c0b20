import DaymakerCore
import Fluent
import Foundation
import Vapor

/// `daymaker campaign generate|list`: callback campaigns from the command line, for when the web UI is what is
/// down (or right after `daymaker import cdr`). Generated without a user (the audit log says "command line").
struct CampaignCommand: AsyncCommandGroup {
    var help: String { "Generate and list callback campaigns" }
    var commands: [String: any AnyAsyncCommand] { ["generate": Generate(), "list": List()] }

    struct Generate: DaymakerCommand {
        struct Signature: CommandSignature {
            @Option(name: "program", help: "The program's code") var program: String?
            @Option(name: "incident", help: "A resolved incident's id: its span is the window") var incident: String?
            @Option(
                name: "from",
                help: "The window's start: 2026-11-20T08:00:00Z, or 2026-11-20 08:00 in the program's zone")
            var from: String?
            @Option(name: "until", help: "The window's end, the same way") var until: String?
            @Option(name: "title", help: "A title (default: the incident's)") var title: String?
            @Option(name: "opener", help: "The opener; {rep}, {program}, {when} and {customer} are filled in")
            var opener: String?
            @Option(name: "hours", help: "Calling hours in each customer's zone (default 09:00-20:00)") var hours:
                String?
            @Option(name: "days", help: "Calling days, 1 Monday to 7 Sunday (default 1-5; 1-7 for every day)")
            var days: String?
            @Option(name: "max-attempts", help: "Calls to one number at most (default 3)") var maxAttempts: String?
            @Option(name: "spacing", help: "Minutes between calls to one number (default 120)") var spacing: String?
            @Option(name: "claim", help: "Minutes a taken call is held (default 15)") var claim: String?
        }

        var help: String { "Generate a program's callback campaign for an incident or a time window" }
        var fieldOptions: [String: String] {
            [
                "incidentId": "incident", "callingHours.opens": "hours", "callingHours.closes": "hours",
                "callingHours.days": "days", "spacingMinutes": "spacing", "claimMinutes": "claim",
            ]
        }
        var examples: [String] {
            [
                "daymaker campaign generate --program RIDE --incident 0193…",
                "daymaker campaign generate --program RIDE --from \"2026-11-20 08:00\" --until \"2026-11-20 17:30\" --days 1-7",
            ]
        }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            let started = ContinuousClock.now
            let program = try await Program.named(signature.program, on: app.db)
            var incident: UUID?
            if let raw = signature.incident {
                guard let id = UUID(uuidString: raw) else {
                    throw CommandLineError.invalid("incident", "'\(raw)' is not an id as `incident list` shows it")
                }
                incident = id
            }
            let hours = (signature.hours ?? "09:00-20:00").split(separator: "-").map(String.init)
            guard hours.count == 2 else { throw CommandLineError.invalid("hours", "write them as 09:00-20:00") }
            let body = CampaignRequest(
                program: program.code, incidentId: incident, from: try Self.time(signature.from, "from", program),
                until: try Self.time(signature.until, "until", program), title: signature.title,
                opener: signature.opener,
                callingHours: .init(opens: hours[0], closes: hours[1], days: try Self.days(signature.days ?? "1-5")),
                maxAttempts: try CommandLineInput.number(signature.maxAttempts, "max-attempts", in: 1...10),
                spacingMinutes: try CommandLineInput.number(signature.spacing, "spacing", in: 5...10_080),
                claimMinutes: try CommandLineInput.number(signature.claim, "claim", in: 1...240))
            let campaign = try await Campaigns.generate(
                body, program: program, within: nil, by: nil, now: app.clock.now, events: app.events, on: app.db)
            let elapsed = (ContinuousClock.now - started).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            context.console.print(
                "Campaign \(try campaign.requireID().lowercaseText) for \(program.code) is ready: "
                    + "\(campaign.callable) numbers to call, \(campaign.uncallable) that cannot be called, "
                    + "\(campaign.gotThrough) left out as they got through since (\(campaign.attempts) attempts read) in "
                    + String(format: "%.1f s.", seconds))
        }

        /// ISO 8601 with its offset, or a wall time in the program's zone.
        static func time(_ raw: String?, _ option: String, _ program: Program) throws(CommandLineError) -> Date? {
            guard let raw = raw?.nilIfBlank else { return nil }
            if let date = try? Date(raw, strategy: .iso8601) { return date }
            if let date = LocalTime.read(raw, zone: program.zone) {
                return date
            }
            throw CommandLineError.invalid(
                option, "'\(raw)' is not a time such as 2026-11-20T08:00:00Z or 2026-11-20 08:00")
        }

        /// `1-5`, `6,7` or `1-3,5`.
        static func days(_ raw: String) throws(CommandLineError) -> [Int] {
            var days: [Int] = []
            for part in raw.split(separator: ",") {
                let ends = part.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard (1...2).contains(ends.count), ends.count == part.split(separator: "-").count,
                    let first = ends.first, let last = ends.last, first <= last
                else { throw CommandLineError.invalid("days", "'\(raw)' is not days such as 1-5 or 6,7") }
                days += Array(first...last)
            }
            return days
        }
    }

    struct List: DaymakerCommand {
        struct Signature: CommandSignature {
            @Option(name: "program", help: "Only this program's") var program: String?
        }

        var help: String { "List callback campaigns, newest first" }
        var examples: [String] { ["daymaker campaign list --program RIDE"] }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            let query = Campaign.query(on: app.db).sort(\.$createdAt, .descending).limit(100)
            if signature.program != nil {
                query.filter(\.$programID == (try await Program.named(signature.program, on: app.db).requireID()))
            }
            let codes = Program.codes(try await Program.query(on: app.db).all())
            let campaigns = try await query.all()
            if campaigns.isEmpty { context.console.print("No campaigns.") }
            for campaign in campaigns {
                let progress = try await CampaignProgress.load(campaign, now: app.clock.now, on: app.db)
                context.console.print(
                    "\(try campaign.requireID().lowercaseText)  \(codes[campaign.programID] ?? "")  "
                        + "\(progress.done)/\(progress.total) done, \(progress.reached) reached  \(campaign.title)")
            }
        }
    }
}
