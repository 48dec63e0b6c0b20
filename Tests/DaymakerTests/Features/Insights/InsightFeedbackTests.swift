import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// The dashboard's survey, kudos, callback and root-cause numbers (wrap-ups, surveys, challenges), on fixtures worked out by hand.
@Suite(.timeLimit(.minutes(5))) struct InsightFeedbackTests {
    /// A survey of a RIDE contact: sent `daysAgo`, answered with `score` (and root causes) when given.
    static func survey(
        _ app: Application, _ world: World, daysAgo: Double, status: Survey.Status, score: Int? = nil,
        causes: String? = nil
    ) async throws {
        let contact = try await Contact.ended(
            program: world.ride.id!, customer: world.rideCustomer.id, rep: world.rep.id, from: "+13125550142",
            endedAt: app.clock.now.addingTimeInterval(-daysAgo * 86_400 - 600), on: app.db)
        let survey = Survey()
        survey.id = UUID()
        survey.programID = world.ride.id!
        survey.contactID = contact.id!
        survey.customerID = world.rideCustomer.id
        survey.repID = world.rep.id
        survey.channel = .voice
        survey.status = status
        survey.createdAt = app.clock.now.addingTimeInterval(-daysAgo * 86_400)
        survey.alert = false
        if status == .answered {
            survey.answeredAt = survey.createdAt.addingTimeInterval(3600)
            survey.score = score
            survey.rootCauses = causes
        }
        try await survey.create(on: app.db)
    }

    @Test func surveysKudosCallbacksAndRootCausesFollowTheirDefinitions() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            // Surveys: four sent in the range (three answered: 5, 4 and 2), one skipped, one sent before it.
            try await Self.survey(
                app, world, daysAgo: 1, status: .answered, score: 5, causes: "wait-time,unclear-website")
            try await Self.survey(app, world, daysAgo: 2, status: .answered, score: 4)
            try await Self.survey(app, world, daysAgo: 9, status: .answered, score: 2, causes: "wait-time")
            try await Self.survey(app, world, daysAgo: 3, status: .invited)
            try await Self.survey(app, world, daysAgo: 3, status: .skipped)
            try await Self.survey(app, world, daysAgo: 20, status: .answered, score: 1, causes: "wait-time")
            // Kudos: two in the range.
            let (rita, _) = try await ChallengeTests.rita(app)
            for text in ["Thanks for covering my call", "You calmed him down"] {
                let given = try await app.send(
                    .POST, "/api/v1/kudos", token: world.supervisor.token,
                    json: #"{"program":"RIDE","repId":"\#(rita.id!.lowercaseText)","text":"\#(text)"}"#)
                #expect(given.status == .created, "\(given.body.string)")
            }
            // A challenge closed yesterday named wait-time too.
            let challenge = Challenge()
            challenge.id = UUID()
            challenge.title = "Make someone's day"
            challenge.prompt = "You have the power"
            challenge.startsAt = app.clock.now.addingTimeInterval(-7 * 86_400)
            challenge.endsAt = app.clock.now.addingTimeInterval(-86_400)
            challenge.questions = "[]"
            challenge.createdBy = world.supervisor.id
            challenge.createdAt = challenge.startsAt
            challenge.closedAt = app.clock.now.addingTimeInterval(-86_400)
            challenge.closedBy = world.supervisor.id
            challenge.rootCauses = "wait-time"
            try await challenge.create(on: app.db)
            let link = ChallengeProgram()
            link.challengeID = challenge.id!
            link.programID = world.ride.id!
            try await link.create(on: app.db)
            // Reps' wrap-ups: one on the desk page names policy and wait-time, one through the API wait-time (a word
            // outside the program's root causes is refused and changes nothing).
            let wrapped = try await Contact.ended(
                program: world.ride.id!, customer: nil, rep: world.rep.id, from: "+13125550142",
                endedAt: app.clock.now.addingTimeInterval(-3600), on: app.db)
            var rep = try await BrowserSession.start(app, email: world.rep.user.email)
            let page = try await rep.post(
                app, "/desk/contacts/\(wrapped.id!.lowercaseText)/wrap-up",
                form: ["resolution": "resolved", "rootCauses[]": "policy"])
            #expect(page.status == .seeOther)
            let patched = try await Contact.ended(
                program: world.ride.id!, customer: nil, rep: world.rep.id, from: "+13125550142",
                endedAt: app.clock.now.addingTimeInterval(-1800), on: app.db)
            let contactPath = "/api/v1/contacts/\(patched.id!.lowercaseText)"
            let refused = try await app.send(
                .PATCH, contactPath, token: world.supervisor.token, json: #"{"rootCauses":["weather"]}"#)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("rootCauses"))
            #expect(try await Contact.find(patched.id, on: app.db)?.rootCauses == nil)
            for causes in [#"["wait-time","policy"]"#, #"["wait-time"]"#] {
                let named = try await app.send(
                    .PATCH, contactPath, token: world.supervisor.token, json: #"{"rootCauses":\#(causes)}"#)
                #expect(named.status == .ok, "\(named.body.string)")
            }
            #expect(try await Contact.find(wrapped.id, on: app.db)?.rootCauses == "policy")
            #expect(
                try await app.send(.GET, contactPath, token: world.supervisor.token).body.string
                    .contains(#""rootCauses":["wait-time"]"#))
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            // Callbacks after the tests' outage: the first call reached and helped, the second a wrong number.
            try await CampaignTests.outage(app, world)
            let incident = try #require(try await Incident.query(on: app.db).first())
            let resolved = try await app.send(
                .POST, "/api/v1/incidents/\(incident.id!.lowercaseText)/resolve", token: world.supervisor.token,
                json: "{}")
            #expect(resolved.status == .ok, "\(resolved.body.string)")
            let now = World.now
            let campaign = try await CampaignTests.generate(
                app, world.supervisor.token,
                #"{"program":"RIDE","incidentId":"\#(incident.id!.lowercaseText)",\#(CampaignTests.window(from: now - 3 * 3600, until: now - 3600))}"#
            )
            let first = try #require(try await CampaignTests.claim(app, campaign, world.rep.token).call)
            #expect(
                try await CampaignTests.outcome(app, campaign, first, world.rep.token, #"{"outcome":"reached-helped"}"#)
                    .status == .ok)
            let second = try #require(try await CampaignTests.claim(app, campaign, world.rep.token).call)
            #expect(
                try await CampaignTests.outcome(app, campaign, second, world.rep.token, #"{"outcome":"wrong-number"}"#)
                    .status == .ok)

            let response = try await app.send(
                .GET, "/api/v1/programs/\(world.ride.id!.lowercaseText)/insights?from=2026-11-05&to=2026-11-18",
                token: world.supervisor.token)
            #expect(response.status == .ok, "\(response.body.string)")
            let insights = try response.json(InsightsDTO.self)
            #expect(insights.feedback.invited == 4 && insights.feedback.answered == 3)
            #expect(insights.feedback.responseRate == 0.75)
            #expect(insights.feedback.averageScore == 11.0 / 3)
            #expect(insights.feedback.csat == 2.0 / 3)
            #expect(insights.feedback.kudos == 2)
            #expect(insights.callbacks.reached == 1 && insights.callbacks.notReached == 1)
            #expect(insights.callbacks.averageHoursToReach == now.timeIntervalSince(first.firstAttemptAt) / 3600)
            #expect(insights.callbacks.reachedWithinADay == 1)
            // Most named first, a tie by name.
            #expect(insights.rootCauses.map(\.cause) == ["wait-time", "policy", "unclear-website"])
            #expect(
                insights.rootCauses.map { [$0.contacts, $0.surveys, $0.challenges] } == [
                    [1, 2, 1], [1, 0, 0], [0, 1, 0],
                ])
            // By ISO week in Chicago: the 9-day-old answer in week 46, the rest in week 47.
            #expect(insights.rootCauses.first?.byWeek.map(\.week) == ["2026-W46", "2026-W47"])
            #expect(insights.rootCauses.first?.byWeek.map(\.count) == [1, 3])
            // One rep's: the wrap-ups and surveys of their contacts (challenges are the team's).
            let own = try await app.send(
                .GET,
                "/api/v1/programs/\(world.ride.id!.lowercaseText)/insights?from=2026-11-05&to=2026-11-18&rep=\(world.rep.id.lowercaseText)",
                token: world.rep.token)
            #expect(
                try own.json(InsightsDTO.self).rootCauses.map { [$0.contacts, $0.surveys, $0.challenges] }
                    == [[1, 2, 0], [1, 0, 0], [0, 1, 0]])
        }
    }
}
