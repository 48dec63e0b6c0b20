import Fluent
import Vapor

/// `daymaker demo`: migrates, loads the demo data once, prints the logins and serves.
struct DemoCommand: DaymakerCommand {
    struct Signature: CommandSignature {
        @Flag(name: "no-serve", help: "Load the demo data and exit") var noServe: Bool
    }

    var help: String { "Load demo data (once) and serve Daymaker with it" }
    var examples: [String] { ["daymaker demo", "daymaker demo --no-serve"] }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        switch try await DemoData.load(app: app, now: app.clock.now) {
        case .loaded(let customers, let contacts):
            context.console.print("Loaded demo data: 2 programs, \(customers) customers, \(contacts) contacts.")
        case .alreadyPresent:
            context.console.print("Demo data is already loaded; reusing it.")
        }
        context.console.print("")
        context.console.print("Sign in with any of these (password: \(DemoData.password)):")
        for login in DemoData.logins {
            context.console.print(
                "  \(login.email.padding(toLength: 24, withPad: " ", startingAt: 0)) \(login.role.rawValue), \(login.programs.joined(separator: ", "))"
            )
        }
        context.console.print("")
        guard !signature.noServe else { return }
        var serve = context
        serve.input = CommandInput(arguments: ["daymaker"])
        try await app.asyncCommands.commands["serve"]!.run(using: &serve)
        let port = app.http.server.shared.localAddress?.port ?? app.config.port
        context.console.print("Daymaker is at http://\(app.config.host):\(port) (Ctrl-C stops it)")
    }
}
