import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// A program's own behaviour tags and root causes: its supervisors add them, its moments and challenge summaries
/// may then name them, other programs may not, and taking one out keeps it on what carries it.
@Suite struct ProgramVocabularyTests {
    static func put(
        _ app: Application, _ world: World, _ token: String, _ json: String
    ) async throws
        -> TestingHTTPResponse
    {
        try await app.send(
            .PUT, "/api/v1/programs/\(world.ride.id!.lowercaseText)/vocabulary", token: token, json: json)
    }

    @Test func aProgramsOwnTagsAreChosenOnlyThereAndStayOnTheMomentsThatCarryThem() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            // Reps read it; only supervisors (and admins) change it.
            #expect(
                try await Self.put(app, world, world.rep.token, #"{"extraMomentTags":["x1"]}"#).status == .forbidden)
            let saved = try await Self.put(
                app, world, world.supervisor.token,
                #"{"extraMomentTags":["Late pickup","empathy","late-pickup"],"extraRootCauses":["ride times"]}"#)
            #expect(saved.status == .ok, "\(saved.body.string)")
            let vocabulary = try await app.send(
                .GET, "/api/v1/programs/\(world.ride.id!.lowercaseText)/vocabulary", token: world.rep.token
            ).json(VocabularyDTO.self)
            #expect(vocabulary.extraMomentTags == ["late-pickup"] && vocabulary.extraRootCauses == ["ride-times"])
            #expect(vocabulary.momentTags.first == "recognition" && vocabulary.momentTags.last == "late-pickup")
            #expect(vocabulary.rootCauses.last == "ride-times")
            let bad = try await Self.put(app, world, world.supervisor.token, #"{"extraRootCauses":["ok-one","?"]}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(try bad.problem().errors?.map(\.field) == ["extraRootCauses[1]"])
            // HELP's rep does not see RIDE's program at all.
            #expect(
                try await app.send(
                    .GET, "/api/v1/programs/\(world.ride.id!.lowercaseText)/vocabulary", token: world.helpRep.token
                ).status == .notFound)

            // RIDE's moments may carry it; HELP's may not.
            let moment = try await MomentTests.nominate(
                app, world.rep.token,
                #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","channel":"voice","littleExtra":"Waited with her for the late van","tags":["late-pickup","patience"]}"#
            )
            #expect(moment.tags == ["late-pickup", "patience"])
            let elsewhere = try await app.send(
                .POST, "/api/v1/moments", token: world.helpRep.token,
                json:
                    #"{"program":"HELP","repId":"\#(world.helpRep.id.lowercaseText)","channel":"voice","littleExtra":"x","tags":["late-pickup"]}"#
            )
            #expect(elsewhere.status == .unprocessableEntity)
            #expect(try elsewhere.problem().errors?.map(\.field) == ["tags"])

            // Taken out: new moments can no longer choose it, the one that has it keeps it and is still found by it.
            #expect(try await Self.put(app, world, world.supervisor.token, #"{"extraMomentTags":[]}"#).status == .ok)
            let after = try await app.send(
                .POST, "/api/v1/moments", token: world.rep.token,
                json:
                    #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","channel":"voice","littleExtra":"x","tags":["late-pickup"]}"#
            )
            #expect(after.status == .unprocessableEntity)
            let found = try await app.send(.GET, "/api/v1/moments?tag=late-pickup", token: world.rep.token)
                .json(ItemPage<MomentDTO>.self)
            #expect(found.items.map(\.id) == [moment.id] && found.items.first?.tags == ["late-pickup", "patience"])
            let garbled = try await app.send(.GET, "/api/v1/moments?tag=Late%20Pickup", token: world.rep.token)
            #expect(try garbled.problem().errors?.map(\.field) == ["tag"])
            // The root causes were left as they were; every change is audited.
            #expect(try await Program.find(world.ride.id, on: app.db)?.rootCauses == "ride-times")
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$action == "program.vocabulary-changed").count() == 2)
        }
    }

    /// A challenge's closing names the root causes of its programs; the page offers them and keeps what was sent
    /// when it is refused.
    @Test func aChallengeClosesWithItsProgramsOwnRootCauses() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var page = try await BrowserSession.start(app, email: "supervisor@test.example")
            let saved = try await page.post(
                app, "/settings/vocabulary",
                form: ["program": "RIDE", "extraMomentTags": "", "extraRootCauses": "Ride times\nDriver training"])
            #expect(saved.status == .seeOther)
            let shown = try await page.get(app, "/settings/vocabulary?program=RIDE").body.string
            #expect(shown.contains("ride-times\ndriver-training"))
            // The settings pages' shared header: the other pages for the same program, this one not a link.
            #expect(shown.contains(#"<a href="/settings/recognition?program=RIDE">Recognition settings</a>"#))
            #expect(shown.contains(#"<a href="/settings/surveys?program=RIDE">Surveys</a>"#))
            #expect(!shown.contains(#"href="/settings/vocabulary?program=RIDE""#))
            let refused = try await page.post(
                app, "/settings/vocabulary", form: ["program": "RIDE", "extraRootCauses": "fine\n!!"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("extraRootCauses[1]") && refused.body.string.contains("fine\n!!"))
            #expect(try await Program.find(world.ride.id, on: app.db)?.rootCauses == "ride-times,driver-training")

            let challenge = try await ChallengeTests.start(app, world)
            let detail = try await page.get(app, "/challenges/\(challenge.id.lowercaseText)").body.string
            #expect(detail.contains(#"value="driver-training""#))
            let path = "/api/v1/challenges/\(challenge.id.lowercaseText)/close"
            let unknown = try await app.send(
                .POST, path, token: world.supervisor.token, json: #"{"summary":"x","rootCauses":["tariff-letters"]}"#)
            #expect(try unknown.problem().errors?.map(\.field) == ["rootCauses"])
            let closed = try await app.send(
                .POST, path, token: world.supervisor.token,
                json: #"{"summary":"Drivers need the ride times too.","rootCauses":["driver-training","wait-time"]}"#
            ).json(ChallengeDTO.self)
            #expect(closed.rootCauses == ["driver-training", "wait-time"])
        }
    }
}
