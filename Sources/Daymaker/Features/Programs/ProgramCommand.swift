import Vapor

/// `daymaker program create --code RIDE --name "…" --timezone America/Chicago --country US`.
struct ProgramCommand: AsyncCommandGroup {
    var help: String { "Manage programs" }
    var commands: [String: any AnyAsyncCommand] { ["create": Create()] }

    struct Create: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "code", help: "Short code, e.g. RIDE") var code: String?
            @Option(name: "name", help: "Program name") var name: String?
            @Option(name: "timezone", help: "IANA time zone, e.g. America/Chicago") var timeZone: String?
            @Option(name: "country", help: "Default country for phone numbers, e.g. US") var country: String?
        }

        var help: String { "Create a program" }

        func run(using context: CommandContext, signature: Signature) async throws {
            do {
                let program = try await Program.create(
                    code: signature.code, name: signature.name, timeZone: signature.timeZone,
                    country: signature.country, actor: nil, on: context.application.db)
                context.console.print("Created program \(program.code) (\(try program.requireID()))")
            } catch let problem as Problem {
                throw CommandLineInput.fail(problem, console: context.console)
            }
        }
    }
}
