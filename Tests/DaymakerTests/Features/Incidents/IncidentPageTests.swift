import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

/// A supervisor runs an incident from the pages: declare, update, resolve; mistakes come back on the form.
@Suite struct IncidentPageTests {
    @Test func aSupervisorDeclaresUpdatesAndResolvesFromThePages() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var supervisor = try await BrowserSession.start(app, email: "supervisor@test.example")
            let empty = try await supervisor.get(app, "/incidents")
            #expect(empty.status == .ok)
            #expect(empty.body.string.contains("No incidents yet."))
            #expect(empty.body.string.contains(#"value="RIDE""#) && !empty.body.string.contains(#"value="HELP""#))

            let declared = try await supervisor.post(
                app, "/incidents",
                form: [
                    "programs[]": "RIDE", "channels[]": "voice", "title": "Phones down",
                    "publicMessage": "Our lines are down.", "ivrMessage": "Our lines are down; press 1 for a callback.",
                    "emailReply": "",
                ])
            #expect(declared.status == .seeOther)
            let location = try #require(declared.headers.first(name: .location))
            #expect(location.hasPrefix("/incidents/") && location.hasSuffix("?notice=incident-declared"))
            let incident = try #require(try await Incident.query(on: app.db).with(\.$programs).first())
            #expect(incident.programs.map(\.programID) == [world.ride.id!])
            #expect(incident.channels == [.voice])
            #expect(incident.emailReply == nil)
            #expect(incident.declaredBy == world.supervisor.id)

            let page = try await supervisor.get(app, location).body.string
            #expect(page.contains("Incident declared: the status page, the banner and the IVR say so now."))
            #expect(page.contains(#"<dd id="ivr-message">Our lines are down; press 1 for a callback.</dd>"#))
            #expect(page.contains("class=\"incident-banner\""))

            let id = try incident.requireID().lowercaseText
            let updated = try await supervisor.post(
                app, "/incidents/\(id)/updates", form: ["message": "Back by 3 pm.", "ivrMessage": "Back by 3 pm."])
            #expect(updated.status == .seeOther)
            #expect(try await Incident.find(incident.id, on: app.db)?.ivrMessage == "Back by 3 pm.")
            let resolved = try await supervisor.post(app, "/incidents/\(id)/resolve", form: ["message": ""])
            #expect(resolved.status == .seeOther)
            let after = try await supervisor.get(app, "/incidents/\(id)").body.string
            #expect(after.contains("Resolved "))
            #expect(after.contains("Service has been restored. Thank you for your patience."))
            #expect(!after.contains("id=\"resolve\""))
            #expect(!after.contains("class=\"incident-banner\""))
            // Resolving again (an old tab) says why, on the page.
            let again = try await supervisor.post(app, "/incidents/\(id)/resolve", form: [:])
            #expect(again.status == .conflict)
            #expect(again.body.string.contains("This incident is resolved"))
        }
    }

    @Test func mistakesComeBackOnTheFormAndRepsCannotDeclare() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            var supervisor = try await BrowserSession.start(app, email: "supervisor@test.example")
            let refused = try await supervisor.post(
                app, "/incidents",
                form: ["title": "Phones down", "publicMessage": "", "ivrMessage": "See https://status.example.com"])
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            #expect(html.contains("programs: at least one program is required"))
            #expect(html.contains("channels: at least one channel is required"))
            #expect(html.contains("publicMessage: is required"))
            #expect(html.contains("ivrMessage: is spoken by the IVR"))
            #expect(html.contains(#"value="Phones down""#), "what was typed stays")
            let other = try await supervisor.post(
                app, "/incidents",
                form: [
                    "programs[]": "HELP", "channels[]": "voice", "title": "Down", "publicMessage": "Down.",
                    "ivrMessage": "Down.",
                ])
            #expect(other.status == .notFound)
            #expect(try await Incident.query(on: app.db).count() == 0)

            var rep = try await BrowserSession.start(app, email: "rep@test.example")
            #expect(try await rep.get(app, "/incidents").status == .forbidden)
            let byRep = try await rep.post(
                app, "/incidents",
                form: [
                    "programs[]": "RIDE", "channels[]": "voice", "title": "Down", "publicMessage": "Down.",
                    "ivrMessage": "Down.",
                ])
            #expect(byRep.status == .forbidden)
            #expect(try await Incident.query(on: app.db).count() == 0)
        }
    }
}
