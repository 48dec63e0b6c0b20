import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// The world-class library's first steps: nominating a contact, reviewing it, and what supervisors see would be
/// shown outside the program.
@Suite struct MomentTests {
    /// John Miller's contact in RIDE with a summary that names him, his number and his address.
    static func summarised(_ app: Application, _ world: World) async throws {
        world.rideContact.summary =
            "John Miller (100001) called from (312) 555-0142, upset about 742 Evergreen Terrace; Rep stayed on the line."
        world.rideContact.$rep.id = world.rep.id
        try await world.rideContact.save(on: app.db)
    }

    static func nominate(_ app: Application, _ token: String, _ json: String) async throws -> MomentDTO {
        try await app.created(MomentDTO.self, "/api/v1/moments", token: token, json: json)
    }

    @Test func aRepNominatesAContactAndItsRepSummaryAndChannelComeWithIt() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            try await Self.summarised(app, world)
            let moment = try await Self.nominate(
                app, world.rep.token,
                #"""
                {"program":"RIDE","contactId":"\#(world.rideContact.id!.lowercaseText)",
                 "littleExtra":"  She said \"Hi John! Where have you been? I missed you!\"  ",
                 "quote":"You made my day","tags":["recognition","empathy","recognition"]}
                """#)
            #expect(moment.status == .nominated)
            #expect(moment.littleExtra == #"She said "Hi John! Where have you been? I missed you!""#)
            #expect(moment.repId == world.rep.id && moment.nominatedBy == world.rep.id)
            #expect(moment.customerId == world.rideCustomer.id && moment.channel == .voice)
            #expect(moment.tags == ["empathy", "recognition"])
            #expect(moment.evidence == world.rideContact.summary)
            // A rep does not get the redacted preview; a supervisor does, before featuring it.
            #expect(moment.shared == nil)
            let path = "/api/v1/moments/\(moment.id.lowercaseText)"
            let seen = try await app.send(.GET, path, token: world.supervisor.token).json(MomentDTO.self)
            #expect(
                seen.shared
                    == .init(
                        littleExtra: #"She said "Hi J.! Where have you been? I missed you!""#,
                        quote: "You made my day",
                        evidence: "J. M. ([customer number]) called from [phone], upset about [address]; "
                            + "Rep stayed on the line."))
            // The original stays as it was.
            #expect(seen.evidence == world.rideContact.summary)
        }
    }

    @Test func whatANominationNeedsIsSaidFieldByField() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            func refused(_ json: String) async throws -> [String] {
                let reply = try await app.send(.POST, "/api/v1/moments", token: world.rep.token, json: json)
                #expect(reply.status == .unprocessableEntity, "\(reply.body.string)")
                return try reply.problem().errors?.map(\.field) ?? []
            }
            #expect(
                try await refused(#"{"program":"RIDE","littleExtra":"   "}"#) == ["littleExtra", "channel", "repId"])
            #expect(
                try await refused(
                    #"{"program":"RIDE","contactId":"\#(world.helpContact.id!.lowercaseText)","littleExtra":"x"}"#)
                    == ["contactId"])
            #expect(
                try await refused(
                    #"{"program":"RIDE","repId":"\#(world.helpRep.id.lowercaseText)","channel":"email","littleExtra":"x","evidenceUrl":"ftp://x"}"#
                ) == ["evidenceUrl"])
            #expect(
                try await refused(
                    #"{"program":"RIDE","repId":"\#(world.helpRep.id.lowercaseText)","channel":"email","littleExtra":"x"}"#
                )
                    == ["repId"])
            #expect(
                try await refused(
                    #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","customerId":"\#(world.helpCustomer.id!.lowercaseText)","channel":"email","littleExtra":"x"}"#
                ) == ["customerId"])
            // Another program's answers 404, as everywhere; nothing was stored.
            let other = try await app.send(
                .POST, "/api/v1/moments", token: world.rep.token, json: #"{"program":"HELP","littleExtra":"x"}"#)
            #expect(other.status == .notFound)
            #expect(try await Moment.query(on: app.db).count() == 0)
        }
    }

    @Test func aSupervisorFeaturesWithACorrectionOrDeclinesWithAReasonAndOnlyOnce() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            try await Self.summarised(app, world)
            let body =
                #"{"program":"RIDE","contactId":"\#(world.rideContact.id!.lowercaseText)","littleExtra":"Stayed with John"}"#
            let first = try await Self.nominate(app, world.rep.token, body)
            let second = try await Self.nominate(app, world.rep.token, body)

            let featured = try await app.send(
                .POST, "/api/v1/moments/\(first.id.lowercaseText)/feature", token: world.supervisor.token,
                json: #"{"comment":"World class.","shared":{"littleExtra":"Stayed with the customer"}}"#
            ).json(MomentDTO.self)
            #expect(featured.status == .featured && featured.reviewNote == "World class.")
            #expect(featured.reviewedBy == world.supervisor.id && featured.reviewedAt == app.clock.now)
            #expect(featured.shared == .init(littleExtra: "Stayed with the customer", quote: nil, evidence: nil))
            // The rep who made the day is told on their desk.
            let told = try await RepMessage.query(on: app.db).filter(\.$toRep.$id == world.rep.id).all()
            #expect(told.map(\.text) == ["Your moment was featured: Stayed with John — World class."])
            #expect(told.first?.$from.id == world.supervisor.id && told.first?.$contact.id == world.rideContact.id)
            // Reviewed once: a second review is refused and changes nothing.
            let again = try await app.send(
                .POST, "/api/v1/moments/\(first.id.lowercaseText)/decline", token: world.supervisor.token,
                json: #"{"reason":"Changed my mind"}"#)
            #expect(again.status == .conflict)
            #expect(try await Moment.find(first.id, on: app.db)?.status == .featured)
            // Reps do not review.
            let byRep = try await app.send(
                .POST, "/api/v1/moments/\(second.id.lowercaseText)/feature", token: world.rep.token, json: "{}")
            #expect(byRep.status == .forbidden)

            // Declined with a reason the nominator sees; without a reason it is refused.
            let path = "/api/v1/moments/\(second.id.lowercaseText)/decline"
            #expect(
                try await app.send(.POST, path, token: world.supervisor.token, json: #"{"reason":" "}"#).status
                    == .unprocessableEntity)
            _ = try await app.send(
                .POST, path, token: world.supervisor.token, json: #"{"reason":"We need the customer's words."}"#)
            let seen = try await app.send(.GET, "/api/v1/moments/\(second.id.lowercaseText)", token: world.rep.token)
                .json(MomentDTO.self)
            #expect(seen.status == .declined && seen.reviewNote == "We need the customer's words.")

            // The library, filtered.
            let featuredOnly = try await app.send(
                .GET, "/api/v1/moments?program=RIDE&status=featured", token: world.rep.token
            ).json(ItemPage<MomentDTO>.self)
            #expect(featuredOnly.items.map(\.id) == [first.id])
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["moment.featured", "moment.declined"])
                    .count() == 2)
        }
    }

    /// A moment featured in RIDE shows in a HELP supervisor's digest redacted, and nothing that identifies the
    /// customer reaches any answer they can get: not the digest, not the library, not the moment itself.
    @Test func nothingOfTheOriginalReachesAnotherProgram() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            try await Self.summarised(app, world)
            let secrets = [
                "John", "Miller", "100001", "(312) 555-0142", "3125550142", "john.miller@example.com",
                "742 Evergreen Terrace", "1961-03-12",
            ]
            let moment = try await Self.nominate(
                app, world.rep.token,
                #"""
                {"program":"RIDE","contactId":"\#(world.rideContact.id!.lowercaseText)",
                 "littleExtra":"Said \"Hi John! I missed you!\" and called John Miller back on 3125550142",
                 "quote":"Mr Miller: thank you, you made my day (write to john.miller@example.com)",
                 "evidence":"John Miller, customer 100001, born 1961-03-12, lives at 742 Evergreen Terrace, (312) 555-0142."}
                """#)
            let featured = try await app.send(
                .POST, "/api/v1/moments/\(moment.id.lowercaseText)/feature", token: world.supervisor.token,
                json: #"{"comment":"John was thrilled."}"#)
            #expect(featured.status == .ok)

            let helpSupervisor = try await UserAccounts.create(
                email: "help.supervisor@test.example", fullName: "Hana Help", displayName: nil, role: .supervisor,
                password: World.password, programCodes: ["HELP"], actor: nil, app: app, db: app.db)
            let token = try await APITokens.create(
                for: helpSupervisor, name: "t", scopeNames: ["read", "write"], actor: nil, now: app.clock.now,
                on: app.db
            ).1
            let week = DigestWeek(containing: app.clock.now).description
            let digest = try await app.send(.GET, "/api/v1/moments/digest?week=\(week)", token: token)
            let item = try #require(try digest.json(MomentDigestDTO.self).items.first)
            #expect(item.yourProgram == false && item.id == moment.id && item.comment == nil && item.program == "RIDE")
            #expect(item.littleExtra == #"Said "Hi J.! I missed you!" and called J. M. back on [phone]"#)
            #expect(item.quote == "Mr M.: thank you, you made my day (write to [email])")
            #expect(
                item.evidence
                    == "J. M., customer [customer number], born [date of birth], lives at [address], [phone].")
            var answers = [digest.body.string]
            for path in [
                "/api/v1/moments", "/api/v1/moments?program=RIDE", "/api/v1/moments/\(moment.id.lowercaseText)",
            ] {
                answers.append(try await app.send(.GET, path, token: token).body.string)
            }
            for answer in answers {
                for secret in secrets {
                    #expect(!answer.localizedCaseInsensitiveContains(secret), "\(secret) in \(answer)")
                }
            }
            // Inside the program the original stands.
            let own = try await app.send(.GET, "/api/v1/moments/digest?week=\(week)", token: world.supervisor.token)
                .json(MomentDigestDTO.self)
            #expect(own.items.first?.yourProgram == true && own.items.first?.comment == "John was thrilled.")
            #expect(own.items.first?.evidence?.hasPrefix("John Miller, customer 100001") == true)
        }
    }

    /// The digest downloads as one HTML file with its styles inside, named after its week; another program's
    /// supervisor's file holds nothing of the original.
    @Test func theDigestDownloadsAsOneSelfContainedFile() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let moment = try await Self.nominate(
                app, world.rep.token,
                #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","customerId":"\#(world.rideCustomer.id!.lowercaseText)","channel":"voice","littleExtra":"Called John Miller back on 3125550142"}"#
            )
            _ = try await app.send(
                .POST, "/api/v1/moments/\(moment.id.lowercaseText)/feature", token: world.supervisor.token, json: "{}")
            let week = DigestWeek(containing: app.clock.now).description
            var own = try await BrowserSession.start(app, email: world.supervisor.user.email)
            let file = try await own.get(app, "/moments/digest.html?week=\(week)")
            #expect(file.status == .ok)
            #expect(file.headers.first(name: .contentDisposition) == "attachment; filename=\"moments-\(week).html\"")
            let html = file.body.string
            #expect(html.contains("<style>") && !html.contains("<link") && !html.contains("<script"))
            #expect(html.contains("Called John Miller back on 3125550142"))
            #expect(html.contains(week))

            _ = try await UserAccounts.create(
                email: "help.supervisor@test.example", fullName: "Hana Help", displayName: nil, role: .supervisor,
                password: World.password, programCodes: ["HELP"], actor: nil, app: app, db: app.db)
            var other = try await BrowserSession.start(app, email: "help.supervisor@test.example")
            let theirs = try await other.get(app, "/moments/digest.html?week=\(week)").body.string
            #expect(theirs.contains("Called J. M. back on [phone]"))
            #expect(!theirs.contains("John") && !theirs.contains("3125550142"))
        }
    }

    /// The library filtered by tag, channel, rep and when it was nominated; a window that ends before it starts is
    /// refused by name.
    @Test func theLibraryFiltersByTagChannelRepAndTime() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var made: [MomentDTO] = []
            for (channel, tags) in [
                ("voice", #"["recognition"]"#), ("email", #"["empathy","patience"]"#), ("chat", "[]"),
            ] {
                made.append(
                    try await Self.nominate(
                        app, world.rep.token,
                        #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","channel":"\#(channel)","littleExtra":"x","tags":\#(tags)}"#
                    ))
                app.manualClock.advance(by: 3600)
            }
            func ids(_ query: String) async throws -> [UUID] {
                try await app.send(.GET, "/api/v1/moments?program=RIDE&\(query)", token: world.rep.token)
                    .json(ItemPage<MomentDTO>.self).items.map(\.id)
            }
            #expect(try await ids("tag=patience") == [made[1].id])
            #expect(try await ids("tag=recognition&channel=voice") == [made[0].id])
            #expect(try await ids("channel=chat") == [made[2].id])
            #expect(try await ids("rep=\(world.rep.id.lowercaseText)") == made.reversed().map(\.id))
            #expect(try await ids("rep=\(world.helpRep.id.lowercaseText)") == [])
            let from = ISO8601DateFormatter().string(from: World.now.addingTimeInterval(1800))
            let until = ISO8601DateFormatter().string(from: World.now.addingTimeInterval(5400))
            #expect(try await ids("from=\(from)&until=\(until)") == [made[1].id])
            let backwards = try await app.send(
                .GET, "/api/v1/moments?from=\(until)&until=\(from)", token: world.rep.token)
            #expect(backwards.status == .unprocessableEntity)
            #expect(try backwards.problem().errors?.map(\.field) == ["until"])
            let garbled = try await app.send(.GET, "/api/v1/moments?from=yesterday", token: world.rep.token)
            #expect(try garbled.problem().errors?.map(\.field) == ["from"])
        }
    }

    /// Words are looked for in the little extra, the quote and the evidence, whatever their case; `%` and `_` are
    /// text, not wildcards. The page filters by them and by rep too.
    @Test func theLibraryFindsWordsLiterallyAndThePageFiltersByRep() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var made: [UUID] = []
            for json in [
                #""littleExtra":"Found her a 100% refund""#, #""littleExtra":"Stayed on","quote":"Thank you, Sarah""#,
                #""littleExtra":"Called back","evidence":"She had waited_long""#,
            ] {
                made.append(
                    try await Self.nominate(
                        app, world.rep.token,
                        #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","channel":"voice",\#(json)}"#
                    ).id)
            }
            func ids(_ q: String) async throws -> [UUID] {
                try await app.send(.GET, "/api/v1/moments?q=\(q)", token: world.rep.token)
                    .json(ItemPage<MomentDTO>.self).items.map(\.id)
            }
            #expect(try await ids("REFUND") == [made[0]])
            #expect(try await ids("100%25") == [made[0]])
            #expect(try await ids("%25") == [made[0]])
            #expect(try await ids("thank%20you") == [made[1]])
            #expect(try await ids("waited_") == [made[2]])
            #expect(try await ids("_") == [made[2]])
            #expect(try await ids("nobody") == [])
            var browser = try await BrowserSession.start(app, email: world.supervisor.user.email)
            let mine = try await browser.get(app, "/moments?q=refund&rep=\(world.rep.id.lowercaseText)").body.string
            #expect(mine.contains("/moments/\(made[0].lowercaseText)") && !mine.contains(made[1].lowercaseText))
            let others = try await browser.get(app, "/moments?rep=\(world.helpRep.id.lowercaseText)").body.string
            #expect(others.contains("No moments yet."))
        }
    }

    /// A featured moment shows in its program's team feed on the desk for two weeks; a nominated one does not, nor
    /// does it show on another program's desk.
    @Test func featuredMomentsShowInTheTeamFeedOnTheDesk() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let featured = try await Self.nominate(
                app, world.rep.token,
                #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","channel":"chat","littleExtra":"Stayed until the ride came"}"#
            )
            _ = try await Self.nominate(
                app, world.rep.token,
                #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","channel":"chat","littleExtra":"Not reviewed yet"}"#
            )
            _ = try await app.send(
                .POST, "/api/v1/moments/\(featured.id.lowercaseText)/feature", token: world.supervisor.token, json: "{}"
            )
            var rep = try await BrowserSession.start(app, email: world.rep.user.email)
            let desk = try await rep.get(app, "/desk").body.string
            #expect(desk.contains("id=\"team-feed\"") && desk.contains("Stayed until the ride came"))
            #expect(!desk.contains("Not reviewed yet"))
            var other = try await BrowserSession.start(app, email: world.helpRep.user.email)
            #expect(!(try await other.get(app, "/desk").body.string.contains("Stayed until the ride came")))
            app.manualClock.advance(by: 15 * 86_400)
            #expect(!(try await rep.get(app, "/desk").body.string.contains("Stayed until the ride came")))
        }
    }

    /// The library page reads its day range in the program's zone, and says so when a day is not one.
    @Test func theLibraryPageFiltersByDayInTheProgramsZone() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let moment = try await Self.nominate(
                app, world.rep.token,
                #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","channel":"sms","littleExtra":"Texted back within a minute"}"#
            )
            var browser = try await BrowserSession.start(app, email: world.rep.user.email)
            // World.now is 2026-11-18 09:30 in Chicago.
            let that = try await browser.get(app, "/moments?program=RIDE&from=2026-11-18&until=2026-11-18").body.string
            #expect(that.contains("/moments/\(moment.id.lowercaseText)"))
            let before = try await browser.get(app, "/moments?program=RIDE&from=2026-11-16&until=2026-11-17").body
                .string
            #expect(!before.contains("/moments/\(moment.id.lowercaseText)") && before.contains("No moments yet."))
            let wrong = try await browser.get(app, "/moments?from=2026-11-31")
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("must be a day such as 2026-11-20"))
        }
    }

    /// Supervisors reviewing the same moment at once: exactly one review stands, the others are told it was
    /// reviewed.
    @Test func manySupervisorsReviewingAtOnceReviewItOnce() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let moment = try await Self.nominate(
                app, world.rep.token,
                #"{"program":"RIDE","repId":"\#(world.rep.id.lowercaseText)","channel":"chat","littleExtra":"Patience"}"#
            )
            let path = "/api/v1/moments/\(moment.id.lowercaseText)"
            var statuses: [HTTPStatus] = []
            try await LiveServer.run(app) { server in
                statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for index in 0..<20 {
                        group.addTask {
                            var headers: HTTPHeaders = ["Content-Type": "application/json"]
                            headers.bearerAuthorization = .init(token: world.supervisor.token)
                            let (action, json) =
                                index.isMultiple(of: 2)
                                ? ("feature", #"{"comment":"Yes \#(index)"}"#)
                                : ("decline", #"{"reason":"No \#(index)"}"#)
                            return try await server.exchange(
                                .POST, "\(path)/\(action)", headers: headers, body: ByteBuffer(string: json)
                            ).status
                        }
                    }
                    var all: [HTTPStatus] = []
                    for try await status in group { all.append(status) }
                    return all
                }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 19)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$recordID == moment.id).count() == 1)
        }
    }
}
