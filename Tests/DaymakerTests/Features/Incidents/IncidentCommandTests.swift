import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

/// Incidents from the command line, as a supervisor would run them when the web UI is down.
@Suite struct IncidentCommandTests {
    @Test func anIncidentIsDeclaredUpdatedAndResolvedFromTheCommandLine() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let daymaker = try CommandLineTests.daymaker(app)
            let declared = try daymaker.run([
                "incident", "declare", "--program", "ride", "--program", "HELP", "--title", "Phones down", "--public",
                "Our phone lines are down.", "--ivr", "We are having trouble with our phones.", "--channel",
                "Voice,sms",
            ])
            #expect(declared.status == 0, "\(declared.output)")
            let incident = try #require(try await Incident.query(on: app.db).with(\.$programs).first())
            #expect(declared.output.contains(try incident.requireID().lowercaseText))
            #expect(declared.output.contains("RIDE, HELP on voice, sms"))
            #expect(Set(incident.programs.map(\.programID)) == [world.ride.id!, world.help.id!])
            #expect(incident.declaredBy == nil)

            let listed = try daymaker.run(["incident", "list"])
            #expect(listed.output.contains(try incident.requireID().lowercaseText))
            #expect(listed.output.contains("HELP,RIDE  Phones down"))

            let id = try incident.requireID().lowercaseText
            let updated = try daymaker.run([
                "incident", "update", "--id", id, "--message", "Back by 3 pm.", "--ivr", "Back at 3.",
            ])
            #expect(updated.status == 0, "\(updated.output)")
            #expect(try await Incident.find(incident.id, on: app.db)?.ivrMessage == "Back at 3.")
            let resolved = try daymaker.run(["incident", "resolve", "--id", id])
            #expect(resolved.status == 0, "\(resolved.output)")
            #expect(try await Incident.find(incident.id, on: app.db)?.resolvedAt != nil)
            let again = try daymaker.run(["incident", "resolve", "--id", id])
            #expect(again.status != 0)
            #expect(again.output.contains("This incident is resolved"))
            #expect(try await IncidentUpdate.query(on: app.db).count() == 3)
            #expect(try daymaker.run(["incident", "list"]).output.contains("No active incidents."))
        }
    }

    @Test func mistakesAreNamedByOptionAndNothingIsDeclared() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            let daymaker = try CommandLineTests.daymaker(app)
            let missing = try daymaker.run([
                "incident", "declare", "--program", "RIDE", "--ivr", "See www.example.com", "--channel", "fax",
            ])
            #expect(missing.status != 0)
            #expect(missing.output.contains("--title: is required"), "\(missing.output)")
            #expect(missing.output.contains("--public: is required"))
            #expect(missing.output.contains("--ivr: is spoken by the IVR: leave out web addresses"))
            let unknown = try daymaker.run([
                "incident", "declare", "--program", "NOPE", "--title", "Down", "--public", "Down.", "--ivr", "Down.",
            ])
            #expect(unknown.status != 0)
            #expect(unknown.output.contains("--program: no program has the code 'NOPE'"), "\(unknown.output)")
            let noID = try daymaker.run(["incident", "resolve"])
            #expect(noID.output.contains("--id: is required"))
            #expect(try await Incident.query(on: app.db).count() == 0)
        }
    }
}
