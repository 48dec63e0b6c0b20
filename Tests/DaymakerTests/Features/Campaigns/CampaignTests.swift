import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// The callback campaign after an outage: every attempt that did not get through, merged per number, minus those
/// who got through since; claimed one at a time, outcomes recorded, retried, shown on the customer's history.
@Suite struct CampaignTests {
    static let hour: TimeInterval = 3600

    /// One leg of a PBX call record, imported as Asterisk logs it (in UTC) through the import the command line and
    /// the API use.
    static func leg(
        _ app: Application, _ program: Program, _ number: String, at: Date, answered: Bool, call: String, leg: Int = 0
    ) async throws {
        let time = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().dateSeparator(.dash)
            .timeSeparator(.colon).time(includingFractionalSeconds: false).dateTimeSeparator(.space)
        let start = at.formatted(time)
        let row = [
            "", number, "100", "from-pstn", "", "SIP/trunk", "", "Dial", "", start, answered ? start : "", start,
            "10", answered ? "10" : "0", answered ? "ANSWERED" : "NO ANSWER", "DOCUMENTATION", "\(call).\(leg)", "", "",
            call, "1",
        ]
        var importer = CallRecordImport(program: program, zone: .gmt, now: at, events: app.events)
        try await importer.read(Array((row.map { "\"\($0)\"" }.joined(separator: ",") + "\n").utf8), on: app.db)
        let report = try await importer.finish(on: app.db)
        #expect(report.kept == 1 && report.rejected.isEmpty, "\(report.rejected)")
    }

    /// An inbound contact that was abandoned, failed, or answered.
    static func contact(
        _ app: Application, _ program: Program, from: String, at: Date, status: Contact.Status,
        channel: Contact.Channel = .voice, answered: Bool = false
    ) async throws {
        let contact = Contact()
        contact.$program.id = program.id!
        contact.channel = channel
        contact.direction = .inbound
        contact.fromAddress = from
        contact.toAddress = "+13125550100"
        contact.status = status
        contact.arrivedAt = at
        contact.answeredAt = answered ? at.addingTimeInterval(20) : nil
        try await contact.create(on: app.db)
    }

    static func generate(_ app: Application, _ token: String, _ json: String) async throws -> CampaignDTO {
        try await app.created(CampaignDTO.self, "/api/v1/campaigns", token: token, json: json)
    }

    static func window(from: Date, until: Date) -> String {
        let iso = ISO8601DateFormatter()
        return #""from":"\#(iso.string(from: from))","until":"\#(iso.string(from: until))""#
    }

    /// The outage of the tests: from three hours to one hour before `World.now`, in RIDE (Chicago).
    static func outage(_ app: Application, _ world: World) async throws {
        let now = World.now
        let start = now - 3 * hour
        // John (a customer with a care note): one call of two legs, neither answered, and one more missed call.
        try await leg(app, world.ride, "3125550142", at: start + 60, answered: false, call: "a", leg: 0)
        try await leg(app, world.ride, "3125550142", at: start + 60, answered: false, call: "a", leg: 1)
        try await leg(app, world.ride, "3125550142", at: start + 600, answered: false, call: "b")
        // Got through after the outage: left out.
        try await leg(app, world.ride, "3125550177", at: start + 120, answered: false, call: "c")
        try await leg(app, world.ride, "3125550177", at: now - 30 * 60, answered: true, call: "d")
        // One leg answered: that call got through, it is not an attempt to call back.
        try await leg(app, world.ride, "3125550155", at: start + 130, answered: false, call: "e", leg: 0)
        try await leg(app, world.ride, "3125550155", at: start + 130, answered: true, call: "e", leg: 1)
        // Withheld: listed as uncallable.
        try await leg(app, world.ride, "Anonymous", at: start + 140, answered: false, call: "f")
        // Before the window: not in it.
        try await leg(app, world.ride, "3125550188", at: start - 60, answered: false, call: "g")
        // A New York caller nobody knows, abandoned on voice and failed on sms.
        try await contact(app, world.ride, from: "+12125550100", at: start + 300, status: .abandoned)
        try await contact(app, world.ride, from: "+12125550100", at: start + 900, status: .failed, channel: .sms)
        // Abandoned, then answered when they called again: left out.
        try await contact(app, world.ride, from: "+13125550133", at: start + 400, status: .abandoned)
        try await contact(app, world.ride, from: "+13125550133", at: now - 20 * 60, status: .ended, answered: true)
        // An email left unanswered is not a number to call.
        try await contact(app, world.ride, from: "a@example.com", at: start + 500, status: .abandoned, channel: .email)
        // On the do-not-call list.
        try await leg(app, world.ride, "3125550166", at: start + 700, answered: false, call: "h")
        let blocked = DoNotCall()
        blocked.programID = world.ride.id!
        blocked.number = "+13125550166"
        blocked.reason = "Asked in 2025"
        blocked.addedAt = start
        try await blocked.create(on: app.db)
        // Pressed 1 to be called back during the incident.
        let incident = try await Incidents.declare(
            programs: [world.ride],
            messages: try IncidentMessages(
                title: "Phones down", publicMessage: "Our phones are down.", ivrMessage: "Our phones are down.",
                emailReply: nil),
            channels: [.voice], by: world.supervisor.id, now: start, on: app.db)
        let callback = Callback()
        callback.programID = world.ride.id!
        callback.number = "+13125550199"
        callback.dueStart = start
        callback.dueEnd = now
        callback.source = .ivr
        callback.incidentID = incident.id
        callback.status = .open
        callback.attempts = 0
        callback.createdAt = start + 800
        try await callback.create(on: app.db)
    }

    /// The campaign of the tests' outage, generated by the supervisor; `options` adds to the request.
    static func outageCampaign(_ app: Application, _ world: World, options: String = "") async throws -> CampaignDTO {
        try await outage(app, world)
        let now = World.now
        return try await generate(
            app, world.supervisor.token,
            #"{"program":"RIDE",\#(window(from: now - 3 * hour, until: now - hour))\#(options)}"#)
    }

    @Test func aCampaignHasOneCallPerNumberThatDidNotGetThroughInCallingOrder() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let campaign = try await Self.outageCampaign(app, world)
            let now = World.now
            #expect(campaign.callable == 3 && campaign.uncallable == 2 && campaign.gotThrough == 2)
            #expect(campaign.attempts == 9)
            // As stored (the counts are set at the end of the transaction that stores the calls).
            let stored = try await app.send(
                .GET, "/api/v1/campaigns/\(campaign.id.lowercaseText)", token: world.rep.token
            ).json(CampaignDTO.self)
            #expect(stored.callable == 3 && stored.uncallable == 2 && stored.gotThrough == 2)
            #expect(campaign.progress?.total == 3 && campaign.progress?.dueNow == 3)

            let reply = try await app.send(
                .GET, "/api/v1/campaigns/\(campaign.id.lowercaseText)/calls", token: world.rep.token)
            let calls = try reply.json(ItemPage<CampaignCallDTO>.self).items
            // Asked to be called back first, then the customer with care notes, then by first attempt; the
            // uncallable after them (they are never offered).
            let due = calls.filter { $0.state == .due }
            #expect(due.map(\.number) == ["+13125550199", "+13125550142", "+12125550100"])
            #expect(due[0].explicit && !due[1].explicit && due[1].careNotes)
            #expect(due[1].attempts == 2 && due[1].customers.map(\.name) == ["John Miller"])
            #expect(due[1].zone == "America/Chicago" && due[2].zone == "America/New_York")
            #expect(due[2].channels == ["voice", "sms"] && due[2].attempts == 2 && due[2].customers.isEmpty)
            #expect(due[2].firstAttemptAt == now - 3 * Self.hour + 300)
            #expect(due[2].lastAttemptAt == now - 3 * Self.hour + 900)
            let uncallable = calls.filter { $0.state == .uncallable }
            #expect(Set(uncallable.map(\.number)) == ["Anonymous", "+13125550166"])
            #expect(
                uncallable.first { $0.number == "+13125550166" }?.problem
                    == "On the do-not-call list: Asked in 2025")
            #expect(uncallable.first { $0.number == "Anonymous" }?.problem?.hasPrefix("Not a number to call") == true)

            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "campaign.generated").all()
            #expect(audit.count == 1 && audit[0].actorID == world.supervisor.id)
            let csv = try await app.send(
                .GET, "/api/v1/campaigns/\(campaign.id.lowercaseText)/export", token: world.supervisor.token)
            let lines = csv.body.string.split(separator: "\r\n")
            #expect(lines.count == 6 && lines[0].hasPrefix("number,state,problem,customers"))
            #expect(lines[2].hasPrefix("+13125550142,due,,John Miller,America/Chicago,2,"))
        }
    }

    @Test func onlySupervisorsOfTheProgramGenerateAndOnlyItsMembersSeeIt() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let now = World.now
            let body = #"{"program":"RIDE",\#(Self.window(from: now - 3 * Self.hour, until: now))}"#
            #expect(
                try await app.send(.POST, "/api/v1/campaigns", token: world.rep.token, json: body).status == .forbidden)
            let campaign = try await Self.generate(app, world.supervisor.token, body)
            let path = "/api/v1/campaigns/\(campaign.id.lowercaseText)"
            #expect(try await app.send(.GET, path, token: world.helpRep.token).status == .notFound)
            #expect(try await app.send(.POST, path + "/claim", token: world.helpRep.token).status == .notFound)
            #expect(try await app.send(.GET, path, token: world.rep.token).status == .ok)

            // Mistakes are named, and nothing is stored.
            let wrong = try await app.send(
                .POST, "/api/v1/campaigns", token: world.supervisor.token,
                json: #"""
                    {"program":"RIDE","opener":"Hi, I am {title}","callingHours":{"opens":"21:00","closes":"08:00","days":[8]},"maxAttempts":0}
                    """#)
            #expect(wrong.status == .unprocessableEntity)
            let fields = Set(try wrong.problem().errors?.map(\.field) ?? [])
            #expect(
                fields == ["from", "until", "opener", "callingHours.closes", "callingHours.days", "maxAttempts"],
                "\(fields)")
            #expect(try await Campaign.query(on: app.db).count() == 1)
        }
    }

    @Test func anIncidentsCampaignWaitsForItsResolutionAndIsMadeOnce() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            try await Self.outage(app, world)
            let incident = try #require(try await Incident.query(on: app.db).first())
            let body = #"{"program":"RIDE","incidentId":"\#(incident.id!.lowercaseText)"}"#
            let active = try await app.send(.POST, "/api/v1/campaigns", token: world.supervisor.token, json: body)
            #expect(active.status == .conflict)
            try await Incidents.resolve(incident, message: nil, by: nil, now: World.now - Self.hour, on: app.db)
            let campaign = try await Self.generate(app, world.supervisor.token, body)
            // The incident's span: declared three hours ago, resolved one hour ago.
            #expect(campaign.from == World.now - 3 * Self.hour && campaign.until == World.now - Self.hour)
            #expect(campaign.incidentId == incident.id && campaign.title == "Callbacks: Phones down")
            #expect(campaign.callable == 3)
            let again = try await app.send(.POST, "/api/v1/campaigns", token: world.supervisor.token, json: body)
            #expect(again.status == .conflict)
            #expect(try again.problem().detail.contains(campaign.id.lowercaseText))
        }
    }

    struct Claimed: Decodable {
        var call: CampaignCallDTO?
        var nextDueAt: Date?
    }

    static func claim(_ app: Application, _ campaign: CampaignDTO, _ token: String) async throws -> Claimed {
        let reply = try await app.send(.POST, "/api/v1/campaigns/\(campaign.id.lowercaseText)/claim", token: token)
        #expect(reply.status == .ok, "\(reply.body.string)")
        return try reply.json(Claimed.self)
    }

    static func outcome(
        _ app: Application, _ campaign: CampaignDTO, _ call: CampaignCallDTO?, _ token: String, _ json: String
    ) async throws -> TestingHTTPResponse {
        try await app.send(
            .POST, "/api/v1/campaigns/\(campaign.id.lowercaseText)/calls/\(call?.id.lowercaseText ?? "")/outcome",
            token: token, json: json)
    }

    @Test func repsClaimTheNextCallRecordHowItWentAndNoAnswerIsTriedAgainLater() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let campaign = try await Self.outageCampaign(
                app, world, options: #","spacingMinutes":60,"maxAttempts":2,"claimMinutes":10"#)
            let now = World.now
            // The rep gets the one who asked, the supervisor the next; asking again gives the same call back.
            let first = try await Self.claim(app, campaign, world.rep.token).call
            #expect(first?.number == "+13125550199")
            #expect(
                first?.script?.hasPrefix("Hi there, my name is Rep. I'm from Ride Line. You called us earlier today")
                    == true)
            #expect(try await Self.claim(app, campaign, world.rep.token).call?.id == first?.id)
            let second = try await Self.claim(app, campaign, world.supervisor.token).call
            #expect(second?.number == "+13125550142")
            #expect(second?.script?.hasPrefix("Hi John, my name is Supervisor.") == true)

            // Nobody records a call they do not hold.
            #expect(
                try await Self.outcome(app, campaign, second, world.rep.token, #"{"outcome":"busy"}"#).status
                    == .conflict)
            let noAnswer = try await Self.outcome(app, campaign, first, world.rep.token, #"{"outcome":"no-answer"}"#)
            #expect(noAnswer.status == .ok)
            let retried = try noAnswer.json(CampaignCallDTO.self)
            #expect(retried.state == .due && retried.tries == 1 && retried.dueAt == now + Self.hour)
            #expect(retried.claimedBy == nil)
            // Posted again (a double click): refused, nothing recorded twice.
            #expect(
                try await Self.outcome(app, campaign, first, world.rep.token, #"{"outcome":"no-answer"}"#).status
                    == .conflict)

            let helped = try await Self.outcome(
                app, campaign, second, world.supervisor.token,
                #"{"outcome":"reached-helped","note":"Rebooked his ride."}"#)
            #expect(try helped.json(CampaignCallDTO.self).state == .done)
            // The call is in John's history, as an outbound contact by the supervisor.
            let history = try await Contact.query(on: app.db).filter(\.$customer.$id == world.rideCustomer.id!)
                .filter(\.$direction == .outbound).all()
            #expect(history.count == 1 && history[0].$rep.id == world.supervisor.id)
            #expect(history[0].summary == "Reached and helped. Rebooked his ride." && history[0].answeredAt == now)
            // And on his recognition card, the next time he calls.
            let card = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&phone=3125550142", token: world.rep.token)
            let matches = try JSONSerialization.jsonObject(with: Data(buffer: card.body)) as? [String: Any]
            let latest = ((matches?["matches"] as? [[String: Any]])?.first?["lastContacts"] as? [[String: Any]])?.first
            #expect(latest?["direction"] as? String == "outbound" && latest?["reason"] as? String == "Callbacks")
            #expect(latest?["summary"] as? String == "Reached and helped. Rebooked his ride.")

            // The rep's next call is the New York caller; the one that did not answer waits its hour.
            let third = try await Self.claim(app, campaign, world.rep.token).call
            #expect(third?.number == "+12125550100")
            // A claim not finished in time returns to the pool: the supervisor gets it, the rep can no longer record.
            app.manualClock.advance(by: 11 * 60)
            #expect(try await Self.claim(app, campaign, world.supervisor.token).call?.id == third?.id)
            #expect(
                try await Self.outcome(app, campaign, third, world.rep.token, #"{"outcome":"busy"}"#).status
                    == .conflict)
            #expect(
                try await Self.outcome(
                    app, campaign, third, world.supervisor.token,
                    #"{"outcome":"call-later","callLaterAt":"2026-11-18T16:00:00Z"}"#
                ).status == .ok)

            // An hour on, the first is due again; its second no-answer is its last (maxAttempts 2).
            app.manualClock.advance(by: 50 * 60)
            let again = try await Self.claim(app, campaign, world.rep.token).call
            #expect(again?.id == first?.id)
            let last = try await Self.outcome(app, campaign, again, world.rep.token, #"{"outcome":"no-answer"}"#)
            #expect(try last.json(CampaignCallDTO.self).state == .done)

            let progress = try await app.send(
                .GET, "/api/v1/campaigns/\(campaign.id.lowercaseText)", token: world.rep.token
            )
            .json(CampaignDTO.self).progress
            #expect(progress?.total == 3 && progress?.done == 2 && progress?.reached == 2 && progress?.called == 3)
            #expect(progress?.callers.map(\.calls).reduce(0, +) == 4)
            let attempts = try await CampaignAttempt.query(on: app.db).count()
            #expect(attempts == 4)
            #expect(try await Contact.query(on: app.db).filter(\.$direction == .outbound).count() == 4)
        }
    }

    @Test func nothingIsOfferedOutsideTheCustomersCallingHours() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let now = World.now  // 09:30 in Chicago, 10:30 in New York
            try await Self.contact(app, world.ride, from: "+12125550100", at: now - Self.hour, status: .abandoned)
            try await Self.contact(app, world.ride, from: "+13125550101", at: now - Self.hour - 60, status: .abandoned)
            let campaign = try await Self.generate(
                app, world.supervisor.token,
                #"{"program":"RIDE",\#(Self.window(from: now - 2 * Self.hour, until: now)),"callingHours":{"opens":"10:00","closes":"18:00","days":[1,2,3,4,5]}}"#
            )
            // Chicago's window opens at 10:00 there: only New York's caller may be rung now.
            let calls = try await app.send(
                .GET, "/api/v1/campaigns/\(campaign.id.lowercaseText)/calls", token: world.supervisor.token
            ).json(ItemPage<CampaignCallDTO>.self).items
            #expect(calls.map(\.number) == ["+13125550101", "+12125550100"])
            #expect(calls.map(\.dueAt) == [now + 30 * 60, now])
            let first = try await Self.claim(app, campaign, world.rep.token)
            #expect(first.call?.number == "+12125550100")
            let none = try await Self.claim(app, campaign, world.supervisor.token)
            #expect(none.call == nil && none.nextDueAt == now + 30 * 60)
            app.manualClock.advance(by: 30 * 60)
            #expect(try await Self.claim(app, campaign, world.supervisor.token).call?.number == "+13125550101")
        }
    }

    @Test func doNotCallAddsTheNumberToTheProgramsList() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let now = World.now
            try await Self.contact(app, world.ride, from: "+13125550101", at: now - Self.hour, status: .abandoned)
            let body = #"{"program":"RIDE",\#(Self.window(from: now - 2 * Self.hour, until: now))}"#
            let campaign = try await Self.generate(app, world.supervisor.token, body)
            let call = try await Self.claim(app, campaign, world.rep.token).call
            #expect(
                try await Self.outcome(app, campaign, call, world.rep.token, #"{"outcome":"do-not-call"}"#).status
                    == .ok)
            #expect(try await DoNotCall.query(on: app.db).filter(\.$number == "+13125550101").count() == 1)
            // Reached (if only to be told so): a later campaign leaves the number out as one that got through.
            let later = try await Self.generate(app, world.supervisor.token, body)
            #expect(later.callable == 0 && later.gotThrough == 1)
            let bad = try await Self.outcome(app, campaign, call, world.rep.token, #"{"outcome":"call-later"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(try bad.problem().errors?.map(\.field) == ["callLaterAt"])
        }
    }

    /// Everyone watching a campaign shares one live channel: both watchers get the figures, one leaving does not
    /// stop the other's, and the channel closes with the last.
    @Test func everyoneWatchingACampaignSharesOneLiveChannel() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let campaign = try await Self.outageCampaign(app, world)
            let channels = app.events.liveChannels
            try await LiveServer.run(app) { server in
                var watchers: [LivePage<CampaignPages.Live>] = []
                for account in [world.rep, world.supervisor] {
                    let browser = try await BrowserSession.start(server, email: account.user.email)
                    let page = try await LivePage<CampaignPages.Live>.open(
                        server, "/campaigns/\(campaign.id.lowercaseText)/live", cookie: browser.cookieHeader)
                    #expect(try #require(await page.next()).progress.held == 0)
                    watchers.append(page)
                }
                #expect(channels.open == 1)

                try await watchers[0].ws.close()
                _ = try await Self.claim(app, campaign, world.supervisor.token)
                var held = 0
                while held == 0, let next = await watchers[1].next() { held = next.progress.held }
                #expect(held == 1)
                try await watchers[1].ws.close()
            }
            // The last watcher gone, the channel and its loops are too.
            for _ in 0..<50 where channels.open > 0 { try await Task.sleep(for: .milliseconds(20)) }
            #expect(channels.open == 0)
        }
    }

    /// 30 callers claim at once, record, and claim again until nothing is left: every call handed out once.
    @Test func manyConcurrentClaimsNeverHandOutACallTwice() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let now = World.now
            for index in 0..<60 {
                try await Self.contact(
                    app, world.ride, from: "+1312555\(2000 + index)", at: now - Self.hour, status: .abandoned)
            }
            let campaign = try await Self.generate(
                app, world.supervisor.token,
                #"{"program":"RIDE",\#(Self.window(from: now - 2 * Self.hour, until: now))}"#)
            var tokens: [String] = []
            for index in 0..<30 {
                let user = try await UserAccounts.create(
                    email: "caller\(index)@test.example", fullName: "Caller \(index)", displayName: nil, role: .rep,
                    password: World.password, programCodes: ["RIDE"], actor: nil, app: app, db: app.db)
                tokens.append(
                    try await APITokens.create(
                        for: user, name: "t", scopeNames: ["read", "write"], actor: nil, now: now, on: app.db
                    ).1)
            }
            let claimPath = "/api/v1/campaigns/\(campaign.id.lowercaseText)/claim"
            var handed: [UUID] = []
            try await LiveServer.run(app) { server in
                handed = try await withThrowingTaskGroup(of: [UUID].self) { group in
                    for token in tokens {
                        group.addTask {
                            var mine: [UUID] = []
                            var headers: HTTPHeaders = ["Content-Type": "application/json"]
                            headers.bearerAuthorization = .init(token: token)
                            while true {
                                let reply = try await server.exchange(.POST, claimPath, headers: headers, body: nil)
                                guard reply.status == .ok else { throw Abort(reply.status) }
                                let decoder = JSONDecoder()
                                decoder.dateDecodingStrategy = .iso8601
                                guard let call = try decoder.decode(Claimed.self, from: Data(buffer: reply.body)).call
                                else { return mine }
                                mine.append(call.id)
                                let outcome =
                                    "/api/v1/campaigns/\(campaign.id.lowercaseText)/calls/\(call.id.lowercaseText)/outcome"
                                let body = ByteBuffer(string: #"{"outcome":"reached-nothing-needed"}"#)
                                let done = try await server.exchange(.POST, outcome, headers: headers, body: body)
                                guard done.status == .ok else { throw Abort(done.status) }
                                // Sent again (a retry): refused, and undone alone, amid the others' claims.
                                let again = try await server.exchange(.POST, outcome, headers: headers, body: body)
                                guard again.status == .conflict else { throw Abort(again.status) }
                            }
                        }
                    }
                    var all: [UUID] = []
                    for try await mine in group { all += mine }
                    return all
                }
            }
            #expect(handed.count == 60 && Set(handed).count == 60)
            #expect(try await CampaignAttempt.query(on: app.db).count() == 60)
            #expect(try await CampaignCall.query(on: app.db).filter(\.$state == .done).count() == 60)
        }
    }

    /// A campaign's merge reads the calls imported (`CallAttempts`) from their covering index alone, in time order,
    /// and never the legs: on a million records grouping the legs by call was 1.1 s of the merge's 2.4 s.
    @Test func theMergeReadsTheCallsFromTheirIndexAlone() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let sql = try app.db.sqlDatabase
            let plan = CampaignBuilder.Plan(
                program: world.ride, incidentID: nil, title: "Callbacks",
                windowStart: app.clock.now.addingTimeInterval(-86_400), windowEnd: app.clock.now,
                opener: .standard, window: .weekdays, retries: .standard, claimMinutes: 15)
            let statements = [CampaignBuilder.Merge.attempts(plan), CampaignBuilder.Merge.gotThrough]
            #expect(statements.allSatisfy { !$0.contains("call_records") && $0.contains("FROM call_attempts") })
            if sql.isPostgreSQL {
                // PostgreSQL plans by its statistics (a test's few rows are read from the table): the index is
                // checked to hold every column the merge reads, in order. (This test's schema only: the view reads
                // other tests' schemas too, and fails on one dropped meanwhile.)
                let definition = try await sql.raw(
                    """
                    SELECT indexdef FROM pg_indexes
                    WHERE schemaname = current_schema() AND indexname = 'idx_call_attempts_merge'
                    """
                ).first()?.decode(column: "indexdef", as: String.self)
                #expect(
                    definition?.hasSuffix("(program_id, started_at, number, problem, answered)") == true,
                    "\(definition ?? "no index")")
            } else {
                for statement in statements {
                    let steps = try await sql.raw(
                        SQLQueryString("EXPLAIN QUERY PLAN \(CampaignBuilder.Merge.sqlite(statement))")
                    ).all().map { try $0.decode(column: "detail", as: String.self) }
                    #expect(
                        steps.contains { $0.contains("call_attempts USING COVERING INDEX idx_call_attempts_merge") },
                        "\(steps)")
                }
            }
        }
    }

    @Test func theCommandLineImportsThePBXRecordsAndGeneratesTheCampaign() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let daymaker = try CommandLineTests.daymaker(app)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("Master-\(UUID()).csv")
            try Data(CallRecordImportTests.masterCSV.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            _ = try daymaker.run(["import", "cdr", file.path, "--program", "RIDE"])

            let made = try daymaker.run([
                "campaign", "generate", "--program", "ride", "--from", "2026-11-20 14:00", "--until",
                "2026-11-20T21:00:00Z", "--days", "1-7", "--hours", "08:00-21:00",
            ])
            #expect(made.status == 0, "\(made.output)")
            // John's call (a leg answered) got through; Ann's did not; the anonymous one cannot be called.
            #expect(
                made.output.contains("numbers to call, 1 that cannot be called, 0 left out"),
                "\(made.output)")
            #expect(made.output.contains("is ready: 1 numbers to call"))
            let campaign = try #require(try await Campaign.query(on: app.db).first())
            #expect(campaign.programID == world.ride.id && campaign.window.days == [1, 2, 3, 4, 5, 6, 7])
            #expect(campaign.windowStart == Date(timeIntervalSince1970: 1_795_204_800))  // 14:00 in Chicago
            #expect(try daymaker.run(["campaign", "list"]).output.contains("0/1 done, 0 reached"))

            let hours = try daymaker.run([
                "campaign", "generate", "--program", "RIDE", "--from", "2026-11-20 14:00",
                "--until", "2026-11-20 15:00", "--hours", "21:00-08:00",
            ])
            #expect(
                hours.status != 0 && hours.output.contains("--hours: must be after the opening time"), "\(hours.output)"
            )
            let days = try daymaker.run(["campaign", "generate", "--program", "RIDE", "--days", "0-9"])
            #expect(days.status != 0 && days.output.contains("--days"), "\(days.output)")
            let window = try daymaker.run(["campaign", "generate", "--program", "RIDE"])
            #expect(window.output.contains("--from: is required without an incident"), "\(window.output)")
            #expect(try await Campaign.query(on: app.db).count() == 1)
        }
    }
}
