import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// Training collections: featured moments in an order with prompts, assigned to reps or a whole program with a due
/// date; each rep marks each moment discussed with a reflection, and the collection shows who is done and who is
/// overdue.
@Suite struct CollectionTests {
    /// A moment of the rep's in RIDE, nominated and featured.
    static func featured(_ app: Application, _ world: World, _ littleExtra: String) async throws -> UUID {
        let moment = try await MomentTests.nominate(
            app, world.rep.token,
            #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","customerId":"\#(world.rideCustomer.id!.lowercaseText)","channel":"voice","littleExtra":"\#(littleExtra)"}"#
        )
        let reply = try await app.send(
            .POST, "/api/v1/moments/\(moment.id.lowercaseText)/feature", token: world.supervisor.token, json: "{}")
        #expect(reply.status == .ok, "\(reply.body.string)")
        return moment.id
    }

    static func jsonHeaders(_ token: String) -> HTTPHeaders {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        headers.bearerAuthorization = .init(token: token)
        return headers
    }

    static func create(_ app: Application, _ token: String, _ json: String) async throws -> CollectionDTO {
        try await app.created(CollectionDTO.self, "/api/v1/collections", token: token, json: json)
    }

    @Test func aSupervisorBuildsACollectionAndAnAssignedRepDiscussesEachMomentOnce() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let first = try await Self.featured(app, world, "Said Hi John, I missed you")
            let second = try await Self.featured(app, world, "Called back the same day")
            let collection = try await Self.create(
                app, world.supervisor.token,
                #"""
                {"program":"RIDE","title":"Recognition","description":"Regulars by name.","dueOn":"2026-11-20",
                 "reps":["\#(world.rep.id.lowercaseText)"],
                 "items":[{"momentId":"\#(first.lowercaseText)","prompt":"What did she notice?"}]}
                """#)
            #expect(
                collection.items.map(\.moment.id) == [first] && collection.items.first?.prompt == "What did she notice?"
            )
            #expect(collection.reps == [world.rep.id.lowercaseText] && collection.dueOn == "2026-11-20")
            #expect(collection.progress.map(\.repId) == [world.rep.id] && collection.progress.first?.standing == .open)
            let path = "/api/v1/collections/\(collection.id.lowercaseText)"

            // Added at the end, then put first; the prompts travel with their moments.
            let added = try await app.send(
                .POST, "\(path)/items", token: world.supervisor.token,
                json: #"{"momentId":"\#(second.lowercaseText)","prompt":"Why the same day?"}"#
            ).json(CollectionDTO.self)
            #expect(added.items.map(\.moment.id) == [first, second])
            let again = try await app.send(
                .POST, "\(path)/items", token: world.supervisor.token, json: #"{"momentId":"\#(second.lowercaseText)"}"#
            )
            #expect(again.status == .conflict)
            let reordered = try await app.send(
                .PUT, "\(path)/items", token: world.supervisor.token,
                json:
                    #"{"items":[{"momentId":"\#(second.lowercaseText)","prompt":"Why the same day?"},{"momentId":"\#(first.lowercaseText)","prompt":"What did she notice?"}]}"#
            ).json(CollectionDTO.self)
            #expect(reordered.items.map(\.moment.id) == [second, first])
            #expect(reordered.items.map(\.prompt) == ["Why the same day?", "What did she notice?"])
            // Reps do not change collections.
            let byRep = try await app.send(
                .PUT, "\(path)/items", token: world.rep.token, json: #"{"items":[]}"#)
            #expect(byRep.status == .forbidden)

            // The rep discusses the first moment, once.
            let discussion =
                #"{"momentId":"\#(first.lowercaseText)","reflection":"  Use their name before they give it.  "}"#
            let marked = try await app.send(.POST, "\(path)/discussions", token: world.rep.token, json: discussion)
            #expect(marked.status == .created, "\(marked.body.string)")
            let mine = try marked.json(CollectionDTO.self)
            #expect(
                mine.mine == TrainingProgressDTO(.init(discussed: 1, total: 2, due: .distantFuture, now: World.now)))
            #expect(mine.items.last?.discussed?.reflection == "Use their name before they give it.")
            #expect(mine.items.allSatisfy { $0.reflections == nil })
            #expect(mine.progress.map(\.repId) == [world.rep.id])
            let twice = try await app.send(.POST, "\(path)/discussions", token: world.rep.token, json: discussion)
            #expect(twice.status == .conflict)
            #expect(try await TrainingDiscussion.query(on: app.db).count() == 1)

            // A reflection is required; a moment not in the collection is named; the supervisor is not assigned.
            let empty = try await app.send(
                .POST, "\(path)/discussions", token: world.rep.token,
                json: #"{"momentId":"\#(second.lowercaseText)","reflection":" "}"#)
            #expect(try empty.problem().errors?.map(\.field) == ["reflection"])
            let stranger = try await app.send(
                .POST, "\(path)/discussions", token: world.rep.token,
                json: #"{"momentId":"\#(UUID().uuidString)","reflection":"x"}"#)
            #expect(try stranger.problem().errors?.map(\.field) == ["momentId"])
            let unassigned = try await app.send(
                .POST, "\(path)/discussions", token: world.supervisor.token,
                json: #"{"momentId":"\#(second.lowercaseText)","reflection":"x"}"#)
            #expect(unassigned.status == .forbidden)

            // The supervisor sees every reflection; another program's rep does not see the collection at all.
            let seen = try await app.send(.GET, path, token: world.supervisor.token).json(CollectionDTO.self)
            #expect(seen.items.last?.reflections?.map(\.reflection) == ["Use their name before they give it."])
            #expect(seen.items.last?.reflections?.map(\.rep) == ["Rep"])
            #expect(try await app.send(.GET, path, token: world.helpRep.token).status == .notFound)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$recordID == collection.id).count() == 3)
        }
    }

    /// Assigned to a whole program: every active rep of it counts; who discussed everything is done, who did not by
    /// the end of the due day (in the program's zone) is overdue, and a moment taken out no longer counts.
    /// A supervisor renames a collection, moves its due day and changes who it is assigned to; a rep taken off keeps
    /// their reflection; a due day already passed may stay but not be set anew.
    @Test func aSupervisorChangesTitleDueDayAndRepsAndNoReflectionIsLost() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let (rita, _) = try await ChallengeTests.rita(app)
            let moment = try await Self.featured(app, world, "Said Hi John, I missed you")
            let collection = try await Self.create(
                app, world.supervisor.token,
                #"{"program":"RIDE","title":"Recognition","description":"Regulars.","dueOn":"2026-11-20","reps":["\#(world.rep.id.lowercaseText)"],"items":[{"momentId":"\#(moment.lowercaseText)"}]}"#
            )
            let path = "/api/v1/collections/\(collection.id.lowercaseText)"
            let marked = try await app.send(
                .POST, "\(path)/discussions", token: world.rep.token,
                json: #"{"momentId":"\#(moment.lowercaseText)","reflection":"Names matter."}"#)
            #expect(marked.status == .created)
            #expect(
                try await app.send(.PATCH, path, token: world.rep.token, json: #"{"title":"x"}"#).status == .forbidden)

            let changed = try await app.send(
                .PATCH, path, token: world.supervisor.token,
                json:
                    #"{"title":"Regulars by name","description":null,"dueOn":"2026-11-27","reps":["\#(rita.id!.lowercaseText)"]}"#
            )
            #expect(changed.status == .ok, "\(changed.body.string)")
            let dto = try changed.json(CollectionDTO.self)
            #expect(dto.title == "Regulars by name" && dto.description == nil && dto.dueOn == "2026-11-27")
            #expect(dto.reps == [rita.id!.lowercaseText] && dto.progress.map(\.repId) == [rita.id!])
            #expect(dto.items.first?.reflections?.map(\.reflection) == ["Names matter."])

            // Field by field: a new due day in the past, nobody assigned, another program's rep.
            let bad = try await app.send(
                .PATCH, path, token: world.supervisor.token,
                json: #"{"dueOn":"2026-11-01","reps":[],"wholeProgram":false}"#)
            #expect(try bad.problem().errors?.map(\.field) == ["dueOn", "reps"])
            let stranger = try await app.send(
                .PATCH, path, token: world.supervisor.token,
                json: #"{"reps":["\#(world.helpRep.id.lowercaseText)"]}"#)
            #expect(try stranger.problem().errors?.map(\.field) == ["reps"])

            // Past its due day, it is renamed keeping that day; the whole program takes it on through the page.
            app.manualClock.advance(by: 14 * 86_400)
            let renamed = try await app.send(
                .PATCH, path, token: world.supervisor.token, json: #"{"title":"Regulars","dueOn":"2026-11-27"}"#)
            #expect(renamed.status == .ok, "\(renamed.body.string)")
            var page = try await BrowserSession.start(app, email: "supervisor@test.example")
            let form = try await page.get(app, "/collections/\(collection.id.lowercaseText)/edit").body.string
            #expect(form.contains(#"value="Regulars""#) && form.contains(#"value="2026-11-27""#))
            let saved = try await page.post(
                app, "/collections/\(collection.id.lowercaseText)",
                form: ["title": "Regulars", "dueOn": "2026-12-10", "wholeProgram": "on"])
            #expect(saved.status == .seeOther)
            let after = try await app.send(.GET, path, token: world.supervisor.token).json(CollectionDTO.self)
            #expect(after.wholeProgram && after.reps.isEmpty && after.dueOn == "2026-12-10")
            #expect(Set(after.progress.map(\.repId)) == [world.rep.id, rita.id!])
            #expect(after.progress.first { $0.repId == world.rep.id }?.standing == .done)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$recordID == collection.id)
                    .filter(\.$action == "collection.changed").count() == 3)
        }
    }

    @Test func aWholeProgramsProgressShowsWhoIsDoneAndWhoIsOverdue() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let first = try await Self.featured(app, world, "Stayed on the line")
            let second = try await Self.featured(app, world, "Sent the form by email")
            let other = try await UserAccounts.create(
                email: "rep2@test.example", fullName: "Rita Ride", displayName: "Rita", role: .rep,
                password: World.password, programCodes: ["RIDE"], actor: nil, app: app, db: app.db)
            let collection = try await Self.create(
                app, world.supervisor.token,
                #"{"program":"RIDE","title":"Ownership","dueOn":"2026-11-20","wholeProgram":true,"items":[{"momentId":"\#(first.lowercaseText)"},{"momentId":"\#(second.lowercaseText)"}]}"#
            )
            #expect(Set(collection.progress.map(\.repId)) == [world.rep.id, other.id!])
            let path = "/api/v1/collections/\(collection.id.lowercaseText)"
            for moment in [first, second] {
                let reply = try await app.send(
                    .POST, "\(path)/discussions", token: world.rep.token,
                    json: #"{"momentId":"\#(moment.lowercaseText)","reflection":"Learned"}"#)
                #expect(reply.status == .created)
            }
            func summary() async throws -> CollectionSummaryDTO? {
                try await app.send(.GET, "/api/v1/collections?program=RIDE", token: world.supervisor.token)
                    .json(ItemPage<CollectionSummaryDTO>.self).items.first
            }
            #expect(try await summary().map { [$0.assigned, $0.done, $0.overdue, $0.moments] } == [2, 1, 0, 2])
            // 2026-11-20 ends at midnight in Chicago: 06:00 UTC on the 21st.
            app.manualClock.advance(by: 2 * 86_400 + 14 * 3600 + 29 * 60)
            #expect(try await summary()?.overdue == 0)
            app.manualClock.advance(by: 60)
            #expect(try await summary().map { [$0.done, $0.overdue] } == [1, 1])
            let seen = try await app.send(.GET, path, token: world.supervisor.token).json(CollectionDTO.self)
            #expect(seen.progress.map(\.rep) == ["Rep", "Rita"])
            #expect(seen.progress.map(\.standing) == [.done, .overdue])
            // The rep's own list says where they stand; Rita's says she is overdue.
            let ritaToken = try await APITokens.create(
                for: other, name: "t", scopeNames: ["read", "write"], actor: nil, now: app.clock.now, on: app.db
            ).1
            let hers = try await app.send(.GET, "/api/v1/collections", token: ritaToken)
                .json(ItemPage<CollectionSummaryDTO>.self).items
            #expect(hers.map(\.mine?.standing) == [.overdue])
            // Taking the second moment out: Rita still has the first to discuss, the rep stays done.
            _ = try await app.send(
                .PUT, "\(path)/items", token: world.supervisor.token,
                json: #"{"items":[{"momentId":"\#(first.lowercaseText)"}]}"#)
            let after = try await app.send(.GET, path, token: world.supervisor.token).json(CollectionDTO.self)
            #expect(after.progress.map(\.discussed) == [1, 0] && after.progress.map(\.total) == [1, 1])
        }
    }

    /// A HELP supervisor teaches a RIDE moment: in HELP it is shown only as it was shared, and nothing of the
    /// original reaches a HELP rep's answers.
    @Test func anotherProgramsMomentIsTaughtOnlyAsItWasShared() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let moment = try await Self.featured(app, world, "Called John Miller back on 3125550142")
            let helpSupervisor = try await UserAccounts.create(
                email: "help.supervisor@test.example", fullName: "Hana Help", displayName: nil, role: .supervisor,
                password: World.password, programCodes: ["HELP"], actor: nil, app: app, db: app.db)
            let token = try await APITokens.create(
                for: helpSupervisor, name: "t", scopeNames: ["read", "write"], actor: nil, now: app.clock.now,
                on: app.db
            ).1
            let collection = try await Self.create(
                app, token,
                #"{"program":"HELP","title":"From Ride Line","dueOn":"2026-11-30","reps":["\#(world.helpRep.id.lowercaseText)"],"items":[{"momentId":"\#(moment.lowercaseText)","prompt":"Would you call back?"}]}"#
            )
            let item = try #require(collection.items.first)
            #expect(item.moment.yourProgram == false && item.moment.littleExtra == "Called J. M. back on [phone]")
            let path = "/api/v1/collections/\(collection.id.lowercaseText)"
            let marked = try await app.send(
                .POST, "\(path)/discussions", token: world.helpRep.token,
                json: #"{"momentId":"\#(moment.lowercaseText)","reflection":"I would, the same day."}"#)
            #expect(marked.status == .created)
            var answers = [marked.body.string]
            for (path, token) in [
                (path, world.helpRep.token), ("/api/v1/collections", world.helpRep.token), (path, token),
            ] {
                answers.append(try await app.send(.GET, path, token: token).body.string)
            }
            for answer in answers {
                for secret in ["John", "Miller", "3125550142", "100001"] {
                    #expect(!answer.contains(secret), "\(secret) in \(answer)")
                }
            }
            // Inside RIDE the moment still opens; in HELP it answers 404.
            let opened = try await app.send(.GET, "/api/v1/moments/\(moment.lowercaseText)", token: world.helpRep.token)
            #expect(opened.status == .notFound)
            // RIDE's supervisor does not see HELP's collection.
            #expect(try await app.send(.GET, path, token: world.supervisor.token).status == .notFound)
        }
    }

    @Test func whatACollectionNeedsIsSaidFieldByField() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let featured = try await Self.featured(app, world, "Patience")
            let nominated = try await MomentTests.nominate(
                app, world.rep.token,
                #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","channel":"chat","littleExtra":"x"}"#
            ).id
            func refused(_ json: String) async throws -> [String] {
                let reply = try await app.send(.POST, "/api/v1/collections", token: world.supervisor.token, json: json)
                #expect(reply.status == .unprocessableEntity, "\(reply.body.string)")
                return try reply.problem().errors?.map(\.field) ?? []
            }
            #expect(try await refused(#"{"program":"RIDE","title":" ","dueOn":""}"#) == ["title", "dueOn", "reps"])
            #expect(
                try await refused(#"{"program":"RIDE","title":"T","dueOn":"2026-11-31","wholeProgram":true}"#)
                    == ["dueOn"])
            // Yesterday in Chicago.
            #expect(
                try await refused(#"{"program":"RIDE","title":"T","dueOn":"2026-11-17","wholeProgram":true}"#)
                    == ["dueOn"])
            #expect(
                try await refused(
                    #"{"program":"RIDE","title":"T","dueOn":"2026-11-18","wholeProgram":true,"items":[{"momentId":"\#(nominated.lowercaseText)"},{"momentId":"\#(featured.lowercaseText)"},{"momentId":"\#(featured.lowercaseText)","prompt":"\#(String(repeating: "p", count: 1001))"}]}"#
                ) == ["items[0].momentId", "items[2].prompt", "items[2].momentId"])
            #expect(
                try await refused(
                    #"{"program":"RIDE","title":"T","dueOn":"2026-11-18","reps":["\#(world.helpRep.id.lowercaseText)"]}"#
                )
                    == ["reps"])
            // Reps do not build collections; another program's answers 404; nothing was stored.
            let byRep = try await app.send(
                .POST, "/api/v1/collections", token: world.rep.token,
                json: #"{"program":"RIDE","title":"T","dueOn":"2026-11-18","wholeProgram":true}"#)
            #expect(byRep.status == .forbidden)
            let other = try await app.send(
                .POST, "/api/v1/collections", token: world.supervisor.token,
                json: #"{"program":"HELP","title":"T","dueOn":"2026-11-18","wholeProgram":true}"#)
            #expect(other.status == .notFound)
            #expect(try await TrainingCollection.query(on: app.db).count() == 0)
        }
    }

    /// Twenty marks of the same moment at once count once; ten supervisors adding ten moments at once leave all ten,
    /// each in a place of its own.
    @Test func concurrentMarksCountOnceAndConcurrentAddsKeepEveryMoment() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var made: [UUID] = []
            for index in 0..<10 { made.append(try await Self.featured(app, world, "Moment \(index)")) }
            let moments = made
            let collection = try await Self.create(
                app, world.supervisor.token,
                #"{"program":"RIDE","title":"All","dueOn":"2026-11-30","wholeProgram":true,"items":[{"momentId":"\#(moments[0].lowercaseText)"}]}"#
            )
            let path = "/api/v1/collections/\(collection.id.lowercaseText)"
            var marks: [HTTPStatus] = []
            var adds: [HTTPStatus] = []
            try await LiveServer.run(app) { server in
                marks = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for index in 0..<20 {
                        group.addTask {
                            try await server.exchange(
                                .POST, "\(path)/discussions", headers: Self.jsonHeaders(world.rep.token),
                                body: ByteBuffer(
                                    string: #"{"momentId":"\#(moments[0].lowercaseText)","reflection":"Try \#(index)"}"#
                                )
                            ).status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                adds = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for moment in moments.dropFirst() {
                        group.addTask {
                            try await server.exchange(
                                .POST, "\(path)/items", headers: Self.jsonHeaders(world.supervisor.token),
                                body: ByteBuffer(string: #"{"momentId":"\#(moment.lowercaseText)"}"#)
                            ).status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(marks.filter { $0 == .created }.count == 1 && marks.filter { $0 == .conflict }.count == 19)
            #expect(try await TrainingDiscussion.query(on: app.db).count() == 1)
            #expect(adds.allSatisfy { $0 == .ok })
            let items = try await Collections.items(of: collection.id, on: app.db)
            #expect(Set(items.map(\.momentID)) == Set(moments))
            #expect(items.map(\.position) == Array(0..<10))
        }
    }
}
