import DaymakerCore
import Vapor

/// `daymaker program create --code RIDE --name "…" --timezone America/Chicago --country US`.
struct ProgramCommand: AsyncCommandGroup {
    var help: String { "Manage programs" }
    var commands: [String: any AnyAsyncCommand] { ["create": Create()] }

    struct Create: DaymakerCommand {
        struct Signature: CommandSignature {
            @Option(name: "code", help: "Short code, e.g. RIDE") var code: String?
            @Option(name: "name", help: "Program name") var name: String?
            @Option(name: "timezone", help: "IANA time zone, e.g. America/Chicago") var timeZone: String?
            @Option(
                name: "country",
                help: "Country phone numbers are read in: an ISO 3166-1 code, such as US, GB or AU"
            ) var country: String?
        }

        var help: String { "Create a program" }
        var fieldOptions: [String: String] { ["timeZone": "timezone"] }
        var examples: [String] {
            ["daymaker program create --code RIDE --name \"Ride Line\" --timezone America/Chicago --country US"]
        }

        func run(using context: CommandContext, signature: Signature) async throws {
            let program = try await Program.create(
                code: signature.code, name: signature.name, timeZone: signature.timeZone,
                country: signature.country, actor: nil, now: context.application.clock.now, on: context.application.db)
            context.console.print("Created program \(program.code) (\(try program.requireID().lowercaseText))")
        }
    }
}
