import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// "You have the power to make someone's day today": a challenge's window, its stories and their threads (the
/// manager's answer and questions, the rep's reflection), hard contacts kept between the rep and supervisors,
/// closing with an award and root causes, and a story nominated as a moment.
@Suite struct ChallengeTests {
    /// RIDE's challenge, from an hour ago for a week (or as given).
    static func start(
        _ app: Application, _ world: World, from: String = "2026-11-18T14:30:00Z",
        until: String = "2026-11-25T15:30:00Z", extra: String = ""
    ) async throws -> ChallengeDTO {
        try await app.created(
            ChallengeDTO.self, "/api/v1/challenges", token: world.supervisor.token,
            json:
                #"{"programs":["RIDE"],"title":"Make someone's day","prompt":"You have the power to make someone's day today.","incentive":"Lunch with the manager","startsAt":"\#(from)","endsAt":"\#(until)"\#(extra)}"#
        )
    }

    static func tell(
        _ app: Application, _ token: String, _ challenge: ChallengeDTO, _ json: String
    ) async throws -> TestingHTTPResponse {
        try await app.send(.POST, "/api/v1/challenges/\(challenge.id.lowercaseText)/stories", token: token, json: json)
    }

    static func rita(_ app: Application) async throws -> (User, String) {
        let user = try await UserAccounts.create(
            email: "rep2@test.example", fullName: "Rita Ride", displayName: "Rita", role: .rep,
            password: World.password, programCodes: ["RIDE"], actor: nil, app: app, db: app.db)
        let token = try await APITokens.create(
            for: user, name: "t", scopeNames: ["read", "write"], actor: nil, now: app.clock.now, on: app.db
        ).1
        return (user, token)
    }

    @Test func aStoryIsAnsweredReflectedOnAndTheChallengeClosesWithAnAwardAndRootCauses() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let challenge = try await Self.start(app, world)
            #expect(challenge.phase == .running && challenge.questions == FollowUpQuestions.standard)
            let told = try await Self.tell(
                app, world.rep.token, challenge,
                #"{"text":"John called; I remembered his rides and he laughed.","contactId":"\#(world.rideContact.id!.lowercaseText)"}"#
            )
            #expect(told.status == .created, "\(told.body.string)")
            let story = try told.json(StoryDTO.self)
            #expect(story.kind == .story && story.repId == world.rep.id && story.contactId == world.rideContact.id)

            // The manager answers and sends the challenge's questions; the rep hears of it on their desk.
            let answered = try await app.send(
                .POST, "/api/v1/stories/\(story.id.lowercaseText)/answer", token: world.supervisor.token,
                json: #"{"text":"Thank you, that is the spirit."}"#
            ).json(StoryDTO.self)
            #expect(answered.thread.map(\.kind) == [.answer])
            #expect(answered.thread.first?.questions == FollowUpQuestions.standard)
            let told2 = try await RepMessage.query(on: app.db).filter(\.$toRep.$id == world.rep.id).all()
            #expect(told2.count == 1 && told2.first?.text.hasPrefix("Make someone's day: Thank you") == true)

            // Only the story's rep reflects.
            let byOther = try await app.send(
                .POST, "/api/v1/stories/\(story.id.lowercaseText)/reflections", token: world.supervisor.token,
                json: #"{"text":"x"}"#)
            #expect(byOther.status == .forbidden)
            let reflected = try await app.send(
                .POST, "/api/v1/stories/\(story.id.lowercaseText)/reflections", token: world.rep.token,
                json: #"{"text":"It felt great. My power: I do it on every call now."}"#
            ).json(StoryDTO.self)
            #expect(reflected.thread.map(\.kind) == [.answer, .reflection])
            #expect(reflected.thread.last?.text == "It felt great. My power: I do it on every call now.")

            // Another program's rep does not see the challenge.
            let path = "/api/v1/challenges/\(challenge.id.lowercaseText)"
            #expect(try await app.send(.GET, path, token: world.helpRep.token).status == .notFound)

            // Closing: the award and what the company could have done differently, once.
            let closed = try await app.send(
                .POST, "\(path)/close", token: world.supervisor.token,
                json:
                    #"{"summary":"Clearer ride times on the website would have saved calls.","rootCauses":["wait-time","unclear-website","wait-time"],"awarded":["\#(world.rep.id.lowercaseText)"]}"#
            )
            #expect(closed.status == .ok, "\(closed.body.string)")
            let result = try closed.json(ChallengeDTO.self)
            #expect(result.phase == .closed && result.awarded == [world.rep.id.lowercaseText])
            #expect(result.rootCauses == ["unclear-website", "wait-time"])
            #expect(result.stories?.map(\.id) == [story.id])
            let again = try await app.send(
                .POST, "\(path)/close", token: world.supervisor.token, json: #"{"summary":"x"}"#)
            #expect(again.status == .conflict)
            let late = try await Self.tell(app, world.rep.token, challenge, #"{"text":"One more"}"#)
            #expect(late.status == .conflict)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$recordID == challenge.id).all().map(\.action)
                    .sorted() == ["challenge.closed", "challenge.created"])
        }
    }

    /// A hard contact: its rep and supervisors see it, with supportive questions; the rest of the team does not,
    /// and it never becomes a moment.
    /// From the customer page, a contact is told as a story of the challenge running in its program; the story
    /// page shows which contact it is about and the story is linked to it. Another program's contact is not offered.
    @Test func aContactIsToldAsAStoryFromTheCustomerPage() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var page = try await BrowserSession.start(app, email: "rep@test.example")
            let customerPath = "/customers/\(world.rideCustomer.id!.lowercaseText)"
            #expect(!(try await page.get(app, customerPath).body.string.contains("Tell it as a story")))
            let challenge = try await Self.start(app, world)
            let contact = world.rideContact.id!.lowercaseText
            let link = "/challenges/\(challenge.id.lowercaseText)?contact=\(contact)#tell"
            #expect(try await page.get(app, customerPath).body.string.contains(#"href="\#(link)""#))

            let detail = try await page.get(app, "/challenges/\(challenge.id.lowercaseText)?contact=\(contact)")
            #expect(detail.body.string.contains(#"id="story-contact""#))
            #expect(detail.body.string.contains(#"name="contact" value="\#(contact)""#))
            let told = try await page.post(
                app, "/challenges/\(challenge.id.lowercaseText)/stories",
                form: ["text": "I remembered John's usual ride.", "kind": "story", "contact": contact])
            #expect(told.status == .seeOther)
            let story = try await ChallengeStory.query(on: app.db).first()
            #expect(story?.contactID == world.rideContact.id)

            // HELP's contact is not RIDE's challenge's: nothing is shown about it.
            let other = try await page.get(
                app, "/challenges/\(challenge.id.lowercaseText)?contact=\(world.helpContact.id!.lowercaseText)")
            #expect(other.status == .ok && !other.body.string.contains(#"id="story-contact""#))
        }
    }

    @Test func aHardContactStaysBetweenTheRepAndSupervisors() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let (_, ritaToken) = try await Self.rita(app)
            let challenge = try await Self.start(app, world)
            let hard = try await Self.tell(
                app, world.rep.token, challenge,
                #"{"kind":"hard-contact","text":"A customer shouted at me for ten minutes about a late ride."}"#
            ).json(StoryDTO.self)
            let day = try await Self.tell(app, world.rep.token, challenge, #"{"text":"Made Ann laugh."}"#)
                .json(StoryDTO.self)
            let path = "/api/v1/challenges/\(challenge.id.lowercaseText)"
            let theirs = try await app.send(.GET, path, token: ritaToken).json(ChallengeDTO.self)
            #expect(theirs.stories?.map(\.id) == [day.id])
            #expect(!(try await app.send(.GET, path, token: ritaToken).body.string.contains("shouted")))
            let probe = try await app.send(
                .POST, "/api/v1/stories/\(hard.id.lowercaseText)/reflections", token: ritaToken, json: #"{"text":"x"}"#)
            #expect(probe.status == .notFound)
            let own = try await app.send(.GET, path, token: world.rep.token).json(ChallengeDTO.self)
            #expect(own.stories?.map(\.id) == [hard.id, day.id])
            let answered = try await app.send(
                .POST, "/api/v1/stories/\(hard.id.lowercaseText)/answer", token: world.supervisor.token,
                json: #"{"text":"That was hard, and you stayed calm."}"#
            ).json(StoryDTO.self)
            #expect(answered.thread.first?.questions == FollowUpQuestions.hardContact)
            let nominated = try await app.send(
                .POST, "/api/v1/stories/\(hard.id.lowercaseText)/nominate", token: world.supervisor.token)
            #expect(nominated.status == .conflict)
            // Reps do not answer stories.
            let byRep = try await app.send(
                .POST, "/api/v1/stories/\(day.id.lowercaseText)/answer", token: ritaToken, json: #"{"text":"x"}"#)
            #expect(byRep.status == .forbidden)
            // A reflection waits for questions.
            let early = try await app.send(
                .POST, "/api/v1/stories/\(day.id.lowercaseText)/reflections", token: world.rep.token,
                json: #"{"text":"x"}"#)
            #expect(early.status == .conflict)
        }
    }

    @Test func storiesAreTakenOnlyWhileTheChallengeRunsAndItsRulesAreSaidFieldByField() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let challenge = try await Self.start(
                app, world, from: "2026-11-19T00:00:00Z", until: "2026-11-20T00:00:00Z",
                extra: #","questions":["  What did you notice first?  ","  "]"#)
            #expect(challenge.phase == .upcoming && challenge.questions == ["What did you notice first?"])
            let early = try await Self.tell(app, world.rep.token, challenge, #"{"text":"Too soon"}"#)
            #expect(early.status == .conflict)
            #expect(try early.problem().detail.contains("upcoming"))
            app.manualClock.advance(by: 9 * 3600)
            #expect(try await Self.tell(app, world.rep.token, challenge, #"{"text":"Now"}"#).status == .created)
            let wrong = try await Self.tell(
                app, world.rep.token, challenge,
                #"{"text":" ","contactId":"\#(world.helpContact.id!.lowercaseText)"}"#)
            #expect(try wrong.problem().errors?.map(\.field) == ["text", "contactId"])
            app.manualClock.advance(by: 24 * 3600)
            #expect(try await Self.tell(app, world.rep.token, challenge, #"{"text":"Late"}"#).status == .conflict)

            func refused(_ token: String, _ json: String) async throws -> TestingHTTPResponse {
                try await app.send(.POST, "/api/v1/challenges", token: token, json: json)
            }
            let bad = try await refused(
                world.supervisor.token,
                #"{"programs":["RIDE"],"title":" ","prompt":"p","startsAt":"2026-11-30T00:00:00Z","endsAt":"2026-11-29T00:00:00Z","questions":[" "]}"#
            )
            #expect(try bad.problem().errors?.map(\.field) == ["title", "endsAt", "questions"])
            let past = try await refused(
                world.supervisor.token,
                #"{"programs":["RIDE"],"title":"t","prompt":"p","startsAt":"2026-11-01T00:00:00Z","endsAt":"2026-11-02T00:00:00Z"}"#
            )
            #expect(try past.problem().errors?.map(\.field) == ["endsAt"])
            let body =
                #"{"programs":["RIDE"],"title":"t","prompt":"p","startsAt":"2026-11-18T00:00:00Z","endsAt":"2026-11-30T00:00:00Z"}"#
            #expect(try await refused(world.rep.token, body).status == .forbidden)
            let other = body.replacingOccurrences(of: "RIDE", with: "HELP")
            #expect(try await refused(world.supervisor.token, other).status == .notFound)
        }
    }

    /// Asked many times at once, a story becomes one moment nomination: the contact's rep, channel and summary come
    /// with it. Another rep of the program may read the story but not nominate it.
    @Test func aStoryBecomesOneMomentNominationEvenWhenAskedManyTimesAtOnce() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            world.rideContact.$rep.id = world.rep.id
            world.rideContact.summary = "Rides rebooked."
            try await world.rideContact.save(on: app.db)
            let (_, ritaToken) = try await Self.rita(app)
            let challenge = try await Self.start(app, world)
            let story = try await Self.tell(
                app, world.rep.token, challenge,
                #"{"text":"Rebooked all of John's rides before he asked.","contactId":"\#(world.rideContact.id!.lowercaseText)"}"#
            ).json(StoryDTO.self)
            let path = "/api/v1/stories/\(story.id.lowercaseText)/nominate"
            #expect(try await app.send(.POST, path, token: ritaToken).status == .forbidden)
            var statuses: [HTTPStatus] = []
            try await LiveServer.run(app) { server in
                statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for _ in 0..<12 {
                        group.addTask {
                            var headers = HTTPHeaders()
                            headers.bearerAuthorization = .init(token: world.rep.token)
                            return try await server.exchange(.POST, path, headers: headers, body: nil).status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.filter { $0 == .conflict }.count == 11)
            let moments = try await Moment.query(on: app.db).all()
            #expect(moments.count == 1)
            #expect(moments.first?.littleExtra == "Rebooked all of John's rides before he asked.")
            #expect(moments.first?.contactID == world.rideContact.id && moments.first?.evidence == "Rides rebooked.")
            #expect(try await ChallengeStory.find(story.id, on: app.db)?.momentID == moments.first?.id)
        }
    }
}
