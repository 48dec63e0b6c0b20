import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

/// Builds nothing itself: drives the real `daymaker` executable (commands, then `serve`) over real HTTP,
/// on the same database as the test app (a SQLite file, or a PostgreSQL schema in the PostgreSQL pass).
@Suite struct ServeEndToEndTests {
    static func environment(for app: Application) -> [String: String] {
        var environment = [
            "DAYMAKER_HOST": "127.0.0.1", "DAYMAKER_PORT": "0", "PATH": "/usr/bin:/bin",
            "DAYMAKER_SESSION_SECRET": "end-to-end-secret-end-to-end-secret", "DAYMAKER_DB_POOL_SIZE": "2",
            // Its own event loops rather than one per core: commands and the server start and stop on them.
            "DAYMAKER_EVENT_LOOPS": "3",
        ]
        switch app.config.database {
        case .sqlite(let path): environment["DAYMAKER_SQLITE_PATH"] = path
        case .postgres(let url, _, let schema):
            environment["DATABASE_URL"] = url
            environment["DAYMAKER_DATABASE_SCHEMA"] = schema
        }
        return environment
    }

    @Test func commandsThenServeThenSignInAndUseTheAPI() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: DaymakerProcess.executable.path),
            "build the daymaker executable first (swift build)")
        try await withApp { app in
            let daymaker = DaymakerProcess(environment: Self.environment(for: app))
            app.http.client.configuration.redirectConfiguration = .disallow

            let migrate = try daymaker.run(["migrate"], input: "y\n")
            #expect(migrate.status == 0)
            #expect(migrate.output.contains("No new migrations"))
            let program = try daymaker.run([
                "program", "create", "--code", "RIDE", "--name", "Ride Line",
                "--timezone", "America/Chicago", "--country", "US",
            ])
            #expect(program.status == 0, "\(program.output)")
            let user = try daymaker.run(
                [
                    "user", "create", "--email", "Sarah@Example.org", "--name", "Sarah Johnson", "--role", "rep",
                    "--program", "RIDE",
                ],
                input: "a long password\n")
            #expect(user.status == 0, "\(user.output)")
            #expect(!user.output.contains("a long password"))
            let token = try daymaker.run([
                "token", "create", "--user", "sarah@example.org", "--scope", "read,write", "--name", "e2e",
            ])
            #expect(token.status == 0)
            let secret = try #require(
                token.output.split(separator: "\n").map(String.init).first { $0.hasPrefix("dmk_") })

            // Bad input on the command line: a readable message and a failing exit, nothing stored.
            let badRole = try daymaker.run(
                ["user", "create", "--email", "x@example.org", "--name", "X", "--role", "boss"],
                input: "a long password\n")
            #expect(badRole.status != 0)
            #expect(badRole.output.contains("--role: 'boss' is not one of rep, supervisor, admin"))
            let badProgram = try daymaker.run([
                "program", "create", "--code", "R", "--name", "", "--timezone", "Mars", "--country", "XX",
            ])
            #expect(badProgram.status != 0)
            #expect(badProgram.output.contains("--timezone: 'Mars' is not an IANA time zone"))
            let badConfig = DaymakerProcess(environment: ["DAYMAKER_PORT": "eighty"])
            let config = try badConfig.run(["serve"])
            #expect(config.status != 0)
            #expect(config.output.contains("DAYMAKER_PORT"))
            #expect(try await User.query(on: app.db).count() == 1)

            let (server, base, log) = try await daymaker.serve()
            defer { if server.isRunning { server.terminate() } }

            let health = try await app.client.get(URI(string: base + "/healthz"))
            #expect(health.status == .ok)
            #expect(health.body.map { String(buffer: $0) } == #"{"status":"ok"}"#)

            // Sign in the way a browser does: fetch the form for its CSRF cookie and token, then post it.
            let form = try await app.client.get(URI(string: base + "/sign-in"))
            let csrfCookie = try #require(form.headers[.setCookie].first { $0.hasPrefix("daymaker_csrf=") })
                .split(separator: ";")[0]
            let html = form.body.map { String(buffer: $0) } ?? ""
            let csrfStart = try #require(html.range(of: #"name="_csrf" value=""#))
            let csrf = String(html[csrfStart.upperBound...].prefix { $0 != "\"" })
            let signIn = try await app.client.post(
                URI(string: base + "/sign-in"),
                headers: [
                    "Cookie": String(csrfCookie), "Content-Type": "application/x-www-form-urlencoded",
                ]
            ) { request in
                request.body = ByteBuffer(
                    string: "_csrf=\(csrf)&email=sarah%40example.org&password=a+long+password&next=%2Fcustomers")
            }
            #expect(signIn.status == .seeOther)
            let session = try #require(signIn.headers[.setCookie].first { $0.hasPrefix("daymaker_session=") })
                .split(separator: ";")[0]

            let created = try await app.client.post(
                URI(string: base + "/api/v1/customers"),
                headers: [
                    "Authorization": "Bearer \(secret)", "Content-Type": "application/json",
                ]
            ) { request in
                request.body = ByteBuffer(
                    string:
                        #"{"program":"RIDE","customerNumber":"42","fullName":"John Miller","phones":[{"number":"(312) 555-0142"}]}"#
                )
            }
            #expect(created.status == .created)
            let found = try await app.client.get(
                URI(string: base + "/api/v1/customers?phone=312.555.0142"),
                headers: [
                    "Authorization": "Bearer \(secret)"
                ])
            #expect(found.body.map { String(buffer: $0) }?.contains("John Miller") == true)
            let page = try await app.client.get(
                URI(string: base + "/customers?q=%2B1%20312%20555%200142"),
                headers: [
                    "Cookie": "\(csrfCookie); \(session)"
                ])
            #expect(page.status == .ok)
            #expect(page.body.map { String(buffer: $0) }?.contains("John Miller") == true)
            let problem = try await app.client.get(
                URI(string: base + "/api/v1/customers/not-a-uuid"),
                headers: [
                    "Authorization": "Bearer \(secret)"
                ])
            #expect(problem.status == .notFound)
            #expect(problem.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
            // A generic CTI connector carries its token in the path (this one lacks the telephony scope).
            let cti = try await app.client.post(
                URI(string: base + "/telephony/generic-cti/RIDE/\(secret)"),
                headers: ["Content-Type": "application/x-www-form-urlencoded"]
            ) { request in request.body = ByteBuffer(string: "event=newCall&callId=1&from=%2B13125550142&to=1") }
            #expect(cti.status == .forbidden)

            server.terminate()
            server.waitUntilExit()
            #expect(server.terminationStatus == 0, "\(log.withLockedValue { $0 })")
            // No secrets or personal data in the log.
            let text = log.withLockedValue { $0 }
            #expect(!text.contains(secret))
            #expect(!text.contains("a long password"))
            // The number in any form it was sent in (a request id is hex, so "0142" alone can be one's).
            for number in ["5550142", "555-0142", "555.0142", "555 0142", "555%200142"] {
                #expect(!text.contains(number), "the log holds \(number)")
            }

            // `migrate --revert` undoes the last batch (here: everything) after confirmation.
            let revert = try daymaker.run(["migrate", "--revert"], input: "y\n")
            #expect(revert.status == 0)
            #expect(revert.output.contains("Migration successful"))
            await #expect(throws: (any Error).self) { try await Customer.query(on: app.db).count() }
        }
    }
}
