import DaymakerCore
import Fluent
import Vapor

/// `daymaker incident declare|update|resolve|list`: incidents from the command line, for when the web UI is what
/// is down. Changes are recorded without a user (the audit log says "command line").
struct IncidentCommand: AsyncCommandGroup {
    var help: String { "Declare, update and resolve incidents" }
    var commands: [String: any AnyAsyncCommand] {
        ["declare": Declare(), "update": Update(), "resolve": Resolve(), "list": List()]
    }

    struct Declare: DaymakerCommand {
        struct Signature: CommandSignature {
            @Option(name: "program", help: "Program code; repeat it or separate with commas") var programs: String?
            @Option(name: "title", help: "Short title, e.g. \"Phones down\"") var title: String?
            @Option(name: "public", help: "Message for the status page and the banner") var publicMessage: String?
            @Option(name: "ivr", help: "Message the IVR speaks (plain words, no links)") var ivrMessage: String?
            @Option(name: "email", help: "Reply sent to customers who email meanwhile") var emailReply: String?
            @Option(name: "channel", help: "voice, email, chat, social, sms (default: all); repeatable")
            var channels: String?
        }

        var help: String { "Declare an incident" }
        var listOptions: Set<String> { ["program", "channel"] }
        var fieldOptions: [String: String] {
            [
                "programs": "program", "publicMessage": "public", "ivrMessage": "ivr", "emailReply": "email",
                "channels": "channel",
            ]
        }
        var examples: [String] {
            [
                "daymaker incident declare --program RIDE --title \"Phones down\" --public \"Our phone lines are down; we are on it.\" --ivr \"We are having trouble with our phone lines. Press 1 and we will call you back.\""
            ]
        }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            let messages = try IncidentMessages(
                title: signature.title, publicMessage: signature.publicMessage, ivrMessage: signature.ivrMessage,
                emailReply: signature.emailReply)
            let channels = try Incidents.channels(
                CommandLineInput.list(signature.channels).map { $0.lowercased() }, field: "channels")
            let codes = CommandLineInput.list(signature.programs)
            guard !codes.isEmpty else { throw ValidationFailure(field: "programs", "name at least one program") }
            var programs: [Program] = []
            for code in codes { programs.append(try await Program.named(code, field: "programs", on: app.db)) }
            let incident = try await Incidents.declare(
                programs: programs, messages: messages, channels: channels, by: nil, now: app.clock.now, on: app.db)
            context.console.print(
                "Declared incident \(try incident.requireID().lowercaseText) for \(programs.map(\.code).joined(separator: ", ")) on \(channels.map(\.rawValue).joined(separator: ", "))"
            )
        }
    }

    struct Update: DaymakerCommand {
        struct Signature: CommandSignature {
            @Option(name: "id", help: "The incident's id") var id: String?
            @Option(name: "message", help: "The update, shown on the status page") var message: String?
            @Option(name: "public", help: "A new public message") var publicMessage: String?
            @Option(name: "ivr", help: "A new IVR message") var ivrMessage: String?
        }

        var help: String { "Post an update to an active incident" }
        var fieldOptions: [String: String] { ["publicMessage": "public", "ivrMessage": "ivr"] }
        var examples: [String] {
            ["daymaker incident update --id 0193… --message \"The carrier expects the line back by 3 pm.\""]
        }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            let incident = try await Incidents.find(try IncidentCommand.id(signature.id), within: nil, on: app.db)
            let text = try IncidentMessages.update(signature.message)
            let messages =
                signature.publicMessage == nil && signature.ivrMessage == nil
                ? nil
                : try incident.messages.changed(
                    title: nil, publicMessage: signature.publicMessage, ivrMessage: signature.ivrMessage,
                    emailReply: nil)
            try await Incidents.post(text, messages: messages, to: incident, by: nil, now: app.clock.now, on: app.db)
            context.console.print("Posted the update to incident \(try incident.requireID().lowercaseText)")
        }
    }

    struct Resolve: DaymakerCommand {
        struct Signature: CommandSignature {
            @Option(name: "id", help: "The incident's id") var id: String?
            @Option(name: "message", help: "The last update (default: service restored)") var message: String?
        }

        var help: String { "Resolve an incident" }
        var examples: [String] { ["daymaker incident resolve --id 0193… --message \"All lines are back.\""] }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            let incident = try await Incidents.find(try IncidentCommand.id(signature.id), within: nil, on: app.db)
            let message = try signature.message.map { (text) throws(ValidationFailure) in
                try IncidentMessages.update(text)
            }
            try await Incidents.resolve(incident, message: message, by: nil, now: app.clock.now, on: app.db)
            context.console.print("Resolved incident \(try incident.requireID().lowercaseText)")
        }
    }

    struct List: DaymakerCommand {
        struct Signature: CommandSignature {
            @Option(name: "state", help: "active, resolved or all (default: active)") var state: String?
        }

        var help: String { "List incidents, newest first" }
        var examples: [String] { ["daymaker incident list --state all"] }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            guard let state = Incidents.State(rawValue: signature.state ?? "active") else {
                throw ValidationFailure(field: "state", "must be active, resolved or all")
            }
            let incidents = try await Incidents.list(within: nil, state: state, limit: 100, on: app.db)
            let programs = try await Program.query(on: app.db).all()
            let codes = Program.codes(programs)
            if incidents.isEmpty { context.console.print("No \(state == .all ? "" : state.rawValue + " ")incidents.") }
            for incident in incidents {
                let where_ = incident.programs.compactMap { codes[$0.programID] }.sorted().joined(separator: ",")
                context.console.print(
                    "\(try incident.requireID().lowercaseText)  \(incident.isActive ? "active  " : "resolved")  \(where_)  \(incident.title)"
                )
            }
        }
    }

    static func id(_ raw: String?) throws(ValidationFailure) -> UUID {
        guard let raw, let id = UUID(uuidString: raw) else {
            throw ValidationFailure(field: "id", "is required: the incident's id as `incident list` shows it")
        }
        return id
    }
}
