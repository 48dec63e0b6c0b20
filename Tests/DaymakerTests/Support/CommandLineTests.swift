import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

/// The command line as an operator meets it: the real `daymaker` executable on the test's database.
@Suite struct CommandLineTests {
    static let shape = CommandLineShape(options: ["user", "scope", "name"], flags: ["dry-run"], lists: ["scope"])

    @Test func repeatedListOptionsAreJoinedAndEverythingElseIsGivenOnce() throws {
        #expect(
            try Self.shape.normalized(["--scope", "read", "--user", "a@b.example", "--scope", "write,admin"])
                == ["--scope", "read,write,admin", "--user", "a@b.example"])
        #expect(
            try Self.shape.normalized(["--dry-run", "--name", "-leading dash"])
                == ["--dry-run", "--name", "\\-leading dash"])
        #expect(throws: CommandLineError("--name: was given more than once; give it once")) {
            try Self.shape.normalized(["--name", "a", "--name", "b"])
        }
        #expect(throws: CommandLineError("--user: needs a value")) {
            try Self.shape.normalized(["--user", "--scope", "read"])
        }
        #expect(throws: CommandLineError("--user: needs a value")) { try Self.shape.normalized(["--user"]) }
        #expect(
            throws: CommandLineError(
                "--usr is not an option of this command; it takes --user, --scope, --name, --dry-run")
        ) {
            try Self.shape.normalized(["--usr", "a@b.example"])
        }
        #expect(throws: CommandLineError("'read' was not expected; values follow their option, as in --user VALUE")) {
            try Self.shape.normalized(["--scope", "write", "read"])
        }
    }

    @Test func validationFailuresNameTheOptions() {
        let failure = ValidationFailure([
            .init(field: "timeZone", detail: "is required"), .init(field: "scope[1]", detail: "'x' is not one of read"),
            .init(field: "password", detail: "is too short"),
        ])
        let shape = CommandLineShape(options: ["timezone", "scope"])
        #expect(
            shape.describe(failure, fieldOptions: ["timeZone": "timezone"])
                == ["--timezone: is required", "--scope: 'x' is not one of read", "password: is too short"])
        #expect(CommandLineShape.kebabCase("expiresIn") == "expires-in")
    }

    static func daymaker(_ app: Application) throws -> DaymakerProcess {
        try #require(
            FileManager.default.isExecutableFile(atPath: DaymakerProcess.executable.path),
            "build the daymaker executable first (swift build)")
        var environment = ServeEndToEndTests.environment(for: app)
        environment["DAYMAKER_PASSWORD_COST"] = "10"
        return DaymakerProcess(environment: environment)
    }

    @Test func everyCommandsHelpListsItsOptionsWithAnExample() async throws {
        try await withApp { app in
            let daymaker = try Self.daymaker(app)
            let commands: [(command: [String], options: [String])] = [
                (["demo"], ["no-serve"]),
                (["generate"], ["customers", "contacts", "seed", "samples"]),
                (["staff"], ["reps"]),
                (["program", "create"], ["code", "name", "timezone", "country"]),
                (["user", "create"], ["email", "name", "display-name", "role", "program"]),
                (["token", "create"], ["user", "scope", "name", "expires-in"]),
                (["incident", "declare"], ["program", "title", "public", "ivr", "email", "channel"]),
                (["incident", "update"], ["id", "message", "public", "ivr"]),
                (["incident", "resolve"], ["id", "message"]),
                (["incident", "list"], ["state"]),
                (["import", "cdr"], ["program", "format", "map", "zone"]),
            ]
            for (command, options) in commands {
                let help = try daymaker.run(command + ["--help"])
                #expect(help.status == 0)
                for option in options { #expect(help.output.contains("[--\(option)]"), "\(command) --help: \(option)") }
                let examples = try #require(help.output.components(separatedBy: "Examples:\n").last, "\(command)")
                #expect(examples.contains("  daymaker \(command.joined(separator: " "))"), "\(command): \(help.output)")
            }
            #expect(
                try daymaker.run(["token", "create", "--help"]).output.contains(
                    "read, write, admin or telephony; repeat it"))
        }
    }

    @Test func optionsWithSeveralValuesTakeThemRepeatedOrCommaSeparated() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let daymaker = try Self.daymaker(app)
            let repeated = try daymaker.run([
                "token", "create", "--user", "rep@test.example", "--scope", "read", "--scope", "write", "--name",
                "repeated",
            ])
            #expect(repeated.status == 0, "\(repeated.output)")
            let commas = try daymaker.run([
                "token", "create", "--user", "admin@test.example", "--scope", "read,admin", "--scope", "write",
                "--name", "mixed",
            ])
            #expect(commas.status == 0, "\(commas.output)")
            let tokens = try await APIToken.query(on: app.db).filter(\.$name ~~ ["repeated", "mixed"]).sort(\.$name)
                .all()
            #expect(tokens.map(\.scopeSet) == [[.read, .write, .admin], [.read, .write]])

            let user = try daymaker.run(
                [
                    "user", "create", "--email", "maria@example.org", "--name", "Maria Lopez", "--role", "supervisor",
                    "--program", "RIDE", "--program", "help",
                ],
                input: "a long passphrase\n")
            #expect(user.status == 0, "\(user.output)")
            let maria = try #require(try await User.query(on: app.db).filter(\.$email == "maria@example.org").first())
            #expect(user.output.contains(try maria.requireID().uuidString.lowercased()))
            let principal = try #require(
                try await Principal.load(userID: try maria.requireID(), scopes: nil, on: app.db))
            #expect(principal.programIDs == [world.ride.id!, world.help.id!])
        }
    }

    @Test func badInputNamesTheOptionAndWhatItAcceptsAndStoresNothing() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            let daymaker = try Self.daymaker(app)
            let (users, tokens, programs) = (
                try await User.query(on: app.db).count(), try await APIToken.query(on: app.db).count(),
                try await Program.query(on: app.db).count()
            )
            let cases: [(arguments: [String], says: [String])] = [
                (
                    ["user", "create", "--email", "x@example.org", "--name", "X", "--role", "boss"],
                    ["--role: 'boss' is not one of rep, supervisor, admin"]
                ),
                (
                    [
                        "user", "create", "--email", "x@example.org", "--name", "X", "--role", "rep", "--program",
                        "RIDE", "--program", "NOPE",
                    ],
                    ["--program: there is no program with code 'NOPE'"]
                ),
                (
                    ["token", "create", "--user", "rep@test.example", "--scope", "read", "--scope", "root"],
                    ["--scope: 'root' is not one of read, write, admin, telephony"]
                ),
                (
                    ["token", "create", "--user", "rep@test.example", "--scope", "read", "--expires-in", "forever"],
                    ["--expires-in: must be a whole number of days from 1 to 3650"]
                ),
                (
                    ["token", "create", "--user", "nobody@example.org", "--scope", "read"],
                    ["--user: there is no user with email 'nobody@example.org'"]
                ),
                (
                    ["program", "create", "--code", "R", "--name", "", "--timezone", "Mars", "--country", "XX"],
                    [
                        "--code: use 2 to 16 letters", "--name: is required",
                        "--timezone: 'Mars' is not an IANA time zone such as America/Chicago",
                        "--country: 'XX' is not an ISO 3166-1 country code, such as US, GB or AU",
                    ]
                ),
                (
                    [
                        "program", "create", "--code", "UTIL", "--code", "GAS", "--name", "Utility", "--timezone",
                        "UTC", "--country", "US",
                    ],
                    ["--code: was given more than once; give it once"]
                ),
                (
                    ["program", "create", "--cde", "UTIL"],
                    ["--cde is not an option of this command; it takes --code, --name, --timezone, --country"]
                ),
                (
                    ["generate", "--customers", "lots"],
                    ["--customers: 'lots' is not a whole number from 1 to 50000000"]
                ),
                (["token", "create", "--user"], ["--user: needs a value"]),
                (
                    ["tokens"],
                    [
                        "Unknown command `tokens`", "Did you mean this?", "token",
                        "Run `daymaker --help` for the commands.",
                    ]
                ),
            ]
            for (arguments, says) in cases {
                let run = try daymaker.run(arguments, input: "a long passphrase\n")
                #expect(run.status == 1, "\(arguments)")
                for text in says { #expect(run.output.contains(text), "\(arguments): \(run.output)") }
                #expect(!run.output.contains("WARNING"), "\(arguments): \(run.output)")
                let command = arguments.prefix { !$0.hasPrefix("-") }.joined(separator: " ")
                if command != "tokens" {
                    #expect(
                        run.output.contains("See `daymaker \(command) --help` for its options and an example."),
                        "\(arguments)")
                }
            }
            #expect(try await User.query(on: app.db).count() == users)
            #expect(try await APIToken.query(on: app.db).count() == tokens)
            #expect(try await Program.query(on: app.db).count() == programs)
        }
    }
}
