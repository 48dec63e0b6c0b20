import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// Kudos from peers and supervisors, and a rep's wall: thanks, days made and CSAT by week; seen by the rep, their
/// supervisors and admins, and redacted outside the program the thanks came from.
@Suite struct KudosTests {
    static func give(_ app: Application, _ token: String, _ json: String) async throws -> TestingHTTPResponse {
        try await app.send(.POST, "/api/v1/kudos", token: token, json: json)
    }

    @Test func aPeerThanksATeammateWhoSeesItOnTheirDesk() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let (rita, ritaToken) = try await ChallengeTests.rita(app)
            let sent = try await Self.give(
                app, world.rep.token,
                #"{"program":"RIDE","repId":"\#(rita.id!.lowercaseText)","text":"Thanks for covering my callbacks!"}"#)
            #expect(sent.status == .created, "\(sent.body.string)")
            let kudos = try sent.json(KudosDTO.self)
            #expect(kudos.source == .peer && kudos.from == "Rep" && !kudos.redacted)
            let desk = try await WrapUpTests.state(app, World.Account(user: rita, token: ritaToken))
            #expect(desk.messages.map(\.heading) == ["Rep sent you kudos"])

            // Not oneself, not someone outside the program, not in a program one does not see.
            let me = try await Self.give(
                app, world.rep.token,
                #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","text":"Me"}"#)
            #expect(try me.problem().errors?.map(\.field) == ["repId"])
            let stranger = try await Self.give(
                app, world.rep.token,
                #"{"program":"RIDE","repId":"\#(world.helpRep.id.lowercaseText)","text":"Hi"}"#)
            #expect(try stranger.problem().errors?.map(\.field) == ["repId"])
            let elsewhere = try await Self.give(
                app, world.rep.token,
                #"{"program":"HELP","repId":"\#(world.helpRep.id.lowercaseText)","text":"Hi"}"#)
            #expect(elsewhere.status == .notFound)

            // From the desk page, a minute later: a supervisor's kudos.
            app.manualClock.advance(by: 60)
            var page = try await BrowserSession.start(app, email: "supervisor@test.example")
            let desk2 = try await page.get(app, "/desk").body.string
            #expect(desk2.contains(#"id="thank-a-teammate""#) && desk2.contains(rita.id!.lowercaseText))
            let posted = try await page.post(
                app, "/kudos", form: ["rep": rita.id!.lowercaseText, "text": "Calm on a hard day."])
            #expect(posted.status == .seeOther)
            let wall = try await app.send(
                .GET, "/api/v1/reps/\(rita.id!.lowercaseText)/wall", token: ritaToken
            ).json(RepWallDTO.self)
            #expect(wall.kudos.map(\.source) == [.supervisor, .peer])
        }
    }

    /// A wall is the rep's, their supervisors' and admins'; thanks from a program the viewer does not see are
    /// redacted like shared moments. Days made and CSAT come from the surveys credited to the rep.
    @Test func aWallIsSeenByTheRepAndTheirSupervisorsAndRedactedOutsideTheProgram() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let both = try await UserAccounts.create(
                email: "both@test.example", fullName: "Bo Both", displayName: "Bo", role: .rep,
                password: World.password, programCodes: ["RIDE", "HELP"], actor: nil, app: app, db: app.db)
            _ = try await UserAccounts.create(
                email: "help.supervisor@test.example", fullName: "Hana Help", displayName: nil, role: .supervisor,
                password: World.password, programCodes: ["HELP"], actor: nil, app: app, db: app.db)
            let now = app.clock.now
            for (days, score, made) in [(1.0, 5, true), (2.0, 3, false), (9.0, 4, true), (120.0, 5, true)] {
                let survey = Survey()
                survey.id = UUID()
                survey.programID = world.ride.id!
                let contact = try await SurveyTests.ended(
                    app, world, world.rideCustomer, rep: both.id, minutes: days * 1440)
                survey.contactID = contact.id!
                survey.customerID = world.rideCustomer.id
                survey.repID = both.id
                survey.channel = .voice
                survey.status = .answered
                survey.createdAt = now.addingTimeInterval(-days * 86_400)
                survey.answeredAt = survey.createdAt
                survey.score = score
                survey.madeDay = made
                survey.alert = false
                try await survey.create(on: app.db)
            }
            let kudos = Kudos()
            kudos.id = UUID()
            kudos.programID = world.ride.id!
            kudos.repID = both.id!
            kudos.source = .customer
            kudos.fromName = "John Miller"
            kudos.customerID = world.rideCustomer.id
            kudos.text = "Bo sorted my ride. John Miller, 312-555-0142, customer 100001."
            kudos.createdAt = now
            try await kudos.create(on: app.db)

            var ride = try await BrowserSession.start(app, email: "supervisor@test.example")
            let full = try await ride.get(app, "/reps/\(both.id!.lowercaseText)").body.string
            #expect(full.contains("John Miller thanked Bo") && full.contains("312-555-0142"))
            #expect(full.contains(#"id="days-made-count">2<"#))
            var help = try await BrowserSession.start(app, email: "help.supervisor@test.example")
            let shared = try await help.get(app, "/reps/\(both.id!.lowercaseText)")
            #expect(shared.status == .ok)
            #expect(!shared.body.string.contains("John") && !shared.body.string.contains("Miller"))
            #expect(!shared.body.string.contains("555-0142") && !shared.body.string.contains("100001"))
            #expect(shared.body.string.contains("[phone]") && shared.body.string.contains("shared without"))

            let wall = try await app.send(
                .GET, "/api/v1/reps/\(both.id!.lowercaseText)/wall", token: world.supervisor.token
            ).json(RepWallDTO.self)
            #expect(wall.daysMade == 2 && wall.kudos.count == 1 && !wall.kudos[0].redacted)
            #expect(wall.csat.map(\.responses).reduce(0, +) == 3)
            #expect(wall.csat.last.map { [4.0, 5.0].contains($0.average) } == true)
            // Another rep, even a teammate, does not see it.
            #expect(
                try await app.send(.GET, "/api/v1/reps/\(both.id!.lowercaseText)/wall", token: world.rep.token)
                    .status == .notFound)
            #expect(
                try await app.send(.GET, "/api/v1/reps/\(both.id!.lowercaseText)/wall", token: world.admin.token)
                    .status == .ok)
        }
    }
}
