import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The public status page, its JSON and its feed, and the banner signed-in pages carry during an incident.
@Suite struct StatusPageTests {
    static func declare(_ app: Application, _ world: World, programs: String = #"["RIDE"]"#) async throws -> IncidentDTO
    {
        let response = try await app.send(
            .POST, "/api/v1/incidents", token: world.admin.token,
            json: #"""
                {"programs":\#(programs),"title":"Phones down","publicMessage":"Our phone lines are down & we're on it.",
                "ivrMessage":"Our phones are down.","emailReply":"Internal: reply text","channels":["voice"]}
                """#)
        #expect(response.status == .created, "\(response.body.string)")
        return try response.json(IncidentDTO.self)
    }

    @Test func theStatusPageShowsActiveAndRecentIncidentsToAnyoneAndNothingInternal() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let calm = try await app.send(.GET, "/status")
            #expect(calm.status == .ok)
            #expect(calm.body.string.contains("All services are running normally."))
            #expect(calm.headers.setCookie == nil)

            let incident = try await Self.declare(app, world)
            let page = try await app.send(.GET, "/status")
            let html = page.body.string
            #expect(html.contains("<h1>Service disruption</h1>"))
            #expect(html.contains("id=\"program-RIDE\""))
            #expect(
                html.contains("Our phone lines are down &amp; we&#39;re on it.")
                    || html.contains("Our phone lines are down &amp; we're on it."), "\(html)")
            #expect(!html.contains("program-HELP"))
            #expect(!html.contains("Internal: reply text") && !html.contains("Our phones are down."))
            #expect(page.headers.first(name: .cacheControl) == "public, max-age=15")

            _ = try await app.send(
                .POST, "/api/v1/incidents/\(incident.id.lowercaseText)/resolve", token: world.admin.token,
                json: #"{"message":"All lines are back."}"#)
            let after = try await app.send(.GET, "/status").body.string
            #expect(after.contains("<h1>Service status</h1>"))
            #expect(after.contains("All lines are back."))
            #expect(after.contains("resolved"))

            // A program asked for by code shows even when all is well; an unknown one is not found.
            let help = try await app.send(.GET, "/status?program=help").body.string
            #expect(help.contains("id=\"program-HELP\"") && help.contains("Running normally."))
            #expect(!help.contains("program-RIDE"))
            #expect(try await app.send(.GET, "/status?program=NOPE").status == .notFound)
        }
    }

    @Test func theJSONAndTheFeedSayTheSame() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let incident = try await Self.declare(app, world, programs: #"["RIDE","HELP"]"#)
            _ = try await app.send(
                .POST, "/api/v1/incidents/\(incident.id.lowercaseText)/updates", token: world.admin.token,
                json: #"{"message":"The carrier says <3 pm>."}"#)

            let json = try await app.send(.GET, "/status.json")
            #expect(json.headers.contentType == .json)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer: json.body)) as? [String: Any])
            let programs = try #require(object["programs"] as? [[String: Any]])
            #expect(programs.map { $0["code"] as? String } == ["HELP", "RIDE"])
            #expect(programs.allSatisfy { $0["disrupted"] as? Bool == true })
            let incidents = try #require(programs[0]["incidents"] as? [[String: Any]])
            #expect(incidents.first?["message"] as? String == "Our phone lines are down & we're on it.")
            let text = json.body.string
            #expect(!text.contains("Internal: reply text") && !text.contains("ivr"))

            let atom = try await app.send(.GET, "/status.atom")
            #expect(atom.headers.contentType?.serialize() == "application/atom+xml; charset=utf-8")
            let feed = atom.body.string
            #expect(feed.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>"))
            #expect(feed.contains("<content type=\"text\">The carrier says &lt;3 pm&gt;.</content>"))
            #expect(feed.components(separatedBy: "<entry>").count - 1 == 4)  // two updates in each of two programs
            // It is well-formed XML.
            let parser = XMLParser(data: Data(buffer: atom.body))
            #expect(parser.parse(), "\(String(describing: parser.parserError))")
        }
    }

    @Test func signedInPagesCarryABannerForTheirProgramsOnly() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var rep = try await BrowserSession.start(app, email: "rep@test.example")
            var helpRep = try await BrowserSession.start(app, email: "helprep@test.example")
            #expect(!(try await rep.get(app, "/desk").body.string.contains("incident-banner")))
            let incident = try await Self.declare(app, world)
            let desk = try await rep.get(app, "/desk").body.string
            #expect(desk.contains("class=\"incident-banner\""))
            #expect(desk.contains("RIDE — Phones down."))
            #expect(!(try await helpRep.get(app, "/desk").body.string.contains("incident-banner")))
            _ = try await app.send(
                .POST, "/api/v1/incidents/\(incident.id.lowercaseText)/resolve", token: world.admin.token, json: "{}")
            #expect(!(try await rep.get(app, "/desk").body.string.contains("incident-banner")))
        }
    }
}
