import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// The insights page: charts drawn on the server with their numbers in tables, definitions on the page, every
/// table as CSV; a rep sees only their own.
@Suite(.timeLimit(.minutes(5))) struct InsightPageTests {
    @Test func aSupervisorReadsTheDashboardAndExportsItsTables() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let rep = world.rep.id
            try await InsightRollupTests.contact(app, world, hoursAgo: 3, wait: 10, talk: 200, wrap: 20, rep: rep)
            try await InsightRollupTests.contact(app, world, hoursAgo: 3, wait: 80, talk: 100, rep: rep)
            try await InsightRollupTests.contact(app, world, hoursAgo: 2, wait: 40, abandoned: true, channel: .chat)
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}

            var maria = try await BrowserSession.start(app, email: world.supervisor.user.email)
            let page = try await maria.get(app, "/insights?program=RIDE&from=2026-11-18&to=2026-11-18")
            #expect(page.status == .ok)
            let html = page.body.string
            // One of two answered within 60 s; the abandon at 40 s came before the target, so it is left out.
            #expect(html.contains("<dt>Contacts</dt><dd>3</dd>"))
            #expect(html.contains("<dt>Service level</dt><dd>50 %</dd>"))
            #expect(html.contains("<dt>Average handle time</dt><dd>2 min 40 s</dd>"))
            #expect(html.contains(#"<svg xmlns="http://www.w3.org/2000/svg" class="chart""#))
            // By the hour in Chicago (12:30 and 13:30 UTC).
            #expect(html.contains("<title>06 · voice: 2</title>"))
            #expect(html.contains("<title>07 · chat: 1</title>"))
            #expect(html.contains("<dt>Service level</dt><dd>The share of offered contacts answered within 60 s"))
            #expect(html.contains(#"href="/insights/reps.csv?program=RIDE&amp;from=2026-11-18&amp;to=2026-11-18""#))

            let csv = try await maria.get(app, "/insights/reps.csv?program=RIDE&from=2026-11-18&to=2026-11-18")
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(
                csv.headers.first(name: .contentDisposition)
                    == #"attachment; filename="RIDE-reps-2026-11-18-2026-11-18.csv""#)
            let lines = csv.body.string.split(separator: "\r\n")
            #expect(
                lines.first?.hasPrefix("Rep,Contacts,Offered,Answered,Abandoned,Short abandons,Service level") == true)
            #expect(lines.dropFirst().first == "Rep,2,2,2,0,0,0.5000,45.0,0.0000,2,160.0,,0,0")
            #expect(try await maria.get(app, "/insights/secrets.csv?program=RIDE").status == .notFound)
            let backwards = try await maria.get(app, "/insights?program=RIDE&from=2026-11-18&to=2026-11-01")
            #expect(backwards.status == .unprocessableEntity)
            #expect(backwards.body.string.contains("is before from"))
        }
    }

    @Test func aRepSeesOnlyTheirOwn() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let (rita, _) = try await ChallengeTests.rita(app)
            try await InsightRollupTests.contact(app, world, hoursAgo: 3, wait: 10, talk: 200, rep: world.rep.id)
            try await InsightRollupTests.contact(app, world, hoursAgo: 3, wait: 10, talk: 200, rep: rita.id)
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            var rep = try await BrowserSession.start(app, email: world.rep.user.email)
            // Asking for Rita's gives their own.
            let csv = try await rep.get(
                app, "/insights/reps.csv?program=RIDE&from=2026-11-18&to=2026-11-18&rep=\(rita.id!.lowercaseText)")
            let rows = csv.body.string.split(separator: "\r\n").dropFirst()
            #expect(rows.count == 1)
            #expect(rows.first?.hasPrefix("Rep,1,") == true)
        }
    }
}
