import Fluent
import Vapor

/// `daymaker user create --email … --name … --role rep|supervisor|admin [--program CODE,…]`; the password is read
/// from standard input, never taken as an argument.
struct UserCommand: AsyncCommandGroup {
    var help: String { "Manage users" }
    var commands: [String: any AnyAsyncCommand] { ["create": Create()] }

    struct Create: AsyncCommand {
        struct Signature: CommandSignature {
            @Option(name: "email", help: "Sign-in email address") var email: String?
            @Option(name: "name", help: "Full name") var name: String?
            @Option(name: "display-name", help: "Name customers hear (default: first name)") var displayName: String?
            @Option(name: "role", help: "rep, supervisor or admin") var role: String?
            @Option(name: "program", help: "Program codes, comma-separated") var programs: String?
        }

        var help: String { "Create a user; the password is read from standard input" }

        func run(using context: CommandContext, signature: Signature) async throws {
            let app = context.application
            guard let roleName = signature.role, let role = Role(rawValue: roleName.lowercased()) else {
                context.console.error("--role must be rep, supervisor or admin")
                throw ExitCode.failure
            }
            let password = CommandLineInput.secret(prompt: "Password: ", console: context.console)
            do {
                let user = try await UserAccounts.create(
                    email: signature.email, fullName: signature.name, displayName: signature.displayName, role: role,
                    password: password, programCodes: CommandLineInput.list(signature.programs), actor: nil,
                    app: app, db: app.db)
                context.console.print("Created \(role.rawValue) \(user.email) (\(try user.requireID()))")
            } catch let problem as Problem {
                throw CommandLineInput.fail(problem, console: context.console)
            }
        }
    }
}
