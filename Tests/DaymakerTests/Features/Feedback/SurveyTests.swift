import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// Surveys after contacts: invited by the program's rules (never by the rep), once, with a link that works once and
/// only its hash stored; the thanks reach the rep who helped, and every rep the customer names, on their desks; a
/// low score alerts the supervisors, who call back in one click.
@Suite(.timeLimit(.minutes(5))) struct SurveyTests {
    static func mail(_ server: SMTPServer) -> MailConfig {
        MailConfig(
            host: "127.0.0.1", port: server.port, security: .none, username: nil, password: nil,
            from: "noreply@ride.example", caFile: nil, heloName: "daymaker.test")
    }

    /// A RIDE customer with an email address (or none), and a phone number when given.
    static func customer(
        _ app: Application, _ world: World, _ name: String, number: String, email: String?, phone: String? = nil
    ) async throws -> Customer {
        try await Customer.create(
            try CustomerDraft.validate(
                customerNumber: number, fullName: name, preferredName: nil,
                phones: phone.map { [CustomerDTO.Phone(number: $0, label: "mobile")] } ?? [],
                emails: email.map { [$0] } ?? [],
                handles: [], timeZone: nil, notes: "", preferredRepID: nil, country: "US"),
            programID: world.ride.id!, on: app.db)
    }

    /// A RIDE contact that ended `minutes` ago, handled by `rep`.
    static func ended(
        _ app: Application, _ world: World, _ customer: Customer?, rep: UUID?, minutes: Double,
        channel: Contact.Channel = .voice
    ) async throws -> Contact {
        try await Contact.ended(
            program: world.ride.id!, customer: customer?.id, rep: rep, channel: channel,
            from: channel == .email ? "writer@example.com" : "+13125550177",
            endedAt: app.clock.now.addingTimeInterval(-minutes * 60), on: app.db)
    }

    /// Turns RIDE's surveys on, then lets an hour pass: contacts that end from then on are surveyed.
    static func enable(_ app: Application, _ world: World, _ json: String = #"{"enabled":true}"#) async throws {
        let saved = try await app.send(
            .PUT, "/api/v1/programs/\(world.ride.id!.lowercaseText)/survey-rules", token: world.supervisor.token,
            json: json)
        #expect(saved.status == .ok, "\(saved.body.string)")
        #expect(try saved.json(SurveyRules.self).enabledAt == app.clock.now)
        app.manualClock.advance(by: 3600)
    }

    @discardableResult
    static func run(_ app: Application, mailConfigured: Bool = true) async throws -> Int {
        try await Surveys.inviteDue(now: app.clock.now, mailConfigured: mailConfigured, on: app.db)
    }

    static func send(_ app: Application) async throws -> Int {
        try await Outbox.sendDue(.init(app), now: app.clock.now, logger: app.logger, on: app.db)
    }

    /// A received message's text (its body is base64).
    static func text(_ message: String) -> String {
        guard let blank = message.range(of: "\r\n\r\n") ?? message.range(of: "\n\n") else { return message }
        let encoded = message[blank.upperBound...].filter { !$0.isWhitespace }
        return Data(base64Encoded: String(encoded)).map { String(decoding: $0, as: UTF8.self) } ?? message
    }

    /// The survey links in the mail received, in order.
    static func links(_ server: SMTPServer) throws -> [String] {
        try server.received().compactMap { received in
            let text = Self.text(received.message)
            return text.range(of: #"/s/[A-Za-z0-9_-]{20,}"#, options: .regularExpression).map {
                String(text[$0].dropFirst(3))
            }
        }
    }

    @Test func invitationsFollowTheRulesAndAreDecidedOnceEvenByManyAtOnce() async throws {
        let server = try SMTPServer(tls: false)
        defer { server.stop() }
        try await withApp(adjust: { $0.mail = Self.mail(server) }) { app in
            let world = try await World.make(on: app)
            let ann = try await Self.customer(app, world, "Ann Lee", number: "S-1", email: "ann@example.com")
            let ben = try await Self.customer(app, world, "Ben Ortiz", number: "S-2", email: "ben@example.com")
            let marked = try await app.send(
                .PATCH, "/api/v1/customers/\(ben.id!.lowercaseText)", token: world.rep.token,
                json: #"{"doNotContact":true}"#
            ).json(CustomerDTO.self)
            #expect(marked.doNotContact)
            let cat = try await Self.customer(app, world, "Cat Ng", number: "S-3", email: nil)
            // Off by default: nothing is noted.
            let before = try await Self.ended(app, world, ann, rep: world.rep.id, minutes: 40)
            #expect(try await Self.run(app) == 0)
            #expect(try await Survey.query(on: app.db).count() == 0)

            try await Self.enable(app, world, #"{"enabled":true,"channels":["voice","email"],"delayMinutes":30}"#)
            let cases: [(Contact, SurveyRules.Skip?)] = [
                (try await Self.ended(app, world, ben, rep: world.rep.id, minutes: 40), .doNotContact),
                (try await Self.ended(app, world, world.rideCustomer, rep: world.rep.id, minutes: 40), .bereavement),
                (try await Self.ended(app, world, cat, rep: world.rep.id, minutes: 40), .noAddress),
                (try await Self.ended(app, world, nil, rep: world.rep.id, minutes: 40), .unknownCustomer),
                (try await Self.ended(app, world, ann, rep: nil, minutes: 40), .notHandled),
                (try await Self.ended(app, world, ann, rep: world.rep.id, minutes: 40, channel: .chat), .channel),
            ]
            let first = try await Self.ended(app, world, ann, rep: world.rep.id, minutes: 45)
            let again = try await Self.ended(app, world, ann, rep: world.rep.id, minutes: 40)
            let early = try await Self.ended(app, world, ann, rep: world.rep.id, minutes: 10)

            // Many passes at once (as several instances would): each contact decided once, one invitation.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await Self.run(app) } }
                var invited = 0
                for try await count in group { invited += count }
                #expect(invited == 1)
            }
            #expect(try await Self.run(app) == 0)
            let surveys = Dictionary(
                try await Survey.query(on: app.db).all().map { ($0.contactID, $0) }, uniquingKeysWith: { a, _ in a })
            // Ann is asked about the first of her contacts to end, once.
            let invited = surveys.values.filter { $0.status == .invited }
            #expect(invited.map(\.contactID) == [first.id!] && invited.first?.address == "ann@example.com")
            for (contact, reason) in cases {
                #expect(surveys[contact.id!]?.status == .skipped, "\(String(describing: reason))")
                #expect(surveys[contact.id!]?.skipReason == reason?.rawValue)
            }
            #expect(surveys[again.id!]?.skipReason == "recently-invited")
            #expect(surveys[early.id!]?.status == .pending)
            // Turning surveys on never reaches back to contacts that ended before.
            #expect(surveys[before.id!] == nil)
            #expect(try await OutgoingMessage.query(on: app.db).count() == 1)

            // Sent: the link is made then; only its hash is kept, the outbox keeps no link.
            #expect(try await Self.send(app) == 1)
            let links = try Self.links(server)
            #expect(links.count == 1)
            let token = try #require(links.first)
            let survey = try #require(invited.first)
            let stored = try #require(try await Survey.find(survey.id, on: app.db))
            #expect(stored.tokenHash == SecureToken.hash(token) && stored.sentAt != nil)
            let outbox = try #require(try await OutgoingMessage.query(on: app.db).first())
            #expect(outbox.body.contains(Surveys.linkPlaceholder) && !outbox.body.contains(token))
            let message = try #require(try server.received().first?.message)
            #expect(Self.text(message).contains("Did Rep make your day?"))
            #expect(!message.contains("Auto-Submitted: auto-replied"))

            // While an incident is active nobody is asked.
            app.manualClock.advance(by: 31 * 86_400)
            _ = try await AutoReplyTests.declare(app, world, channels: [.voice])
            let during = try await Self.ended(app, world, ann, rep: world.rep.id, minutes: 40)
            try await Self.run(app)
            #expect(
                try await Survey.query(on: app.db).filter(\.$contactID == during.id!).first()?.skipReason == "incident")
        }
    }

    /// Ann's contact with the rep, ended 40 minutes ago: invited, sent, and its link.
    static func invited(
        _ app: Application, _ world: World, _ server: SMTPServer, _ customer: Customer,
        channel: Contact.Channel = .voice
    ) async throws -> (survey: Survey, token: String) {
        let contact = try await Self.ended(app, world, customer, rep: world.rep.id, minutes: 40, channel: channel)
        let before = try Self.links(server).count
        #expect(try await Self.run(app) == 1)
        #expect(try await Self.send(app) == 1)
        let token = try #require(try Self.links(server).dropFirst(before).first)
        let survey = try #require(try await Survey.query(on: app.db).filter(\.$contactID == contact.id!).first())
        return (survey, token)
    }

    @Test func aCustomerAnswersOnceAndTheThanksReachTheRepsWhoHelped() async throws {
        let server = try SMTPServer(tls: false)
        defer { server.stop() }
        try await withApp(adjust: { $0.mail = Self.mail(server) }) { app in
            let world = try await World.make(on: app)
            let (rita, _) = try await ChallengeTests.rita(app)
            try await Self.enable(app, world)
            let ann = try await Self.customer(app, world, "Ann Lee", number: "S-1", email: "ann@example.com")
            // The contact ends with the rep; it is noted at once, then handed to Rita for a follow-up.
            let contact = try await Self.ended(app, world, ann, rep: world.rep.id, minutes: 1)
            try await Self.run(app)
            contact.$rep.id = rita.id
            try await contact.save(on: app.db)
            app.manualClock.advance(by: 30 * 60)
            #expect(try await Self.run(app) == 1)
            #expect(try await Self.send(app) == 1)
            let token = try #require(try Self.links(server).first)

            var customer = try await BrowserSession.start(app)
            let form = try await customer.get(app, "/s/\(token)")
            #expect(form.status == .ok)
            #expect(form.body.string.contains("Did Rep make your day?"))
            #expect(form.headers.first(name: .cacheControl) == "no-store")
            let missing = try await customer.post(app, "/s/\(token)", form: ["thanks": "Kept"])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains("choose from 1 to 5") && missing.body.string.contains(">Kept<"))
            let answered = try await customer.post(
                app, "/s/\(token)",
                form: ["score": "5", "madeDay": "yes", "thanks": "Thank you Rep, and Rita too, for finding my ride!"])
            #expect(answered.status == .ok)
            #expect(answered.body.string.contains("We have passed your thanks to Rep."))

            // The score is the rep's who handled it; thanks reach them and Rita, named in the text.
            let survey = try #require(try await Survey.query(on: app.db).filter(\.$contactID == contact.id!).first())
            #expect(survey.status == .answered && survey.score == 5 && survey.repID == world.rep.id && !survey.alert)
            let kudos = try await Kudos.query(on: app.db).all()
            #expect(Set(kudos.map(\.repID)) == [world.rep.id, rita.id!])
            #expect(kudos.allSatisfy { $0.fromName == "Ann Lee" && $0.source == .customer && $0.surveyID == survey.id })
            let desk = try await WrapUpTests.state(app, world.rep)
            #expect(desk.messages.first?.kind == "thanks" && desk.messages.first?.heading == "Ann Lee thanked you")
            #expect(desk.messages.first?.text == "Thank you Rep, and Rita too, for finding my ride!")

            // Once: a replay, or the link opened again, gets a kind page and changes nothing.
            let replay = try await customer.post(app, "/s/\(token)", form: ["score": "1"])
            #expect(replay.status == .conflict && replay.body.string.contains("answered already"))
            #expect(try await customer.get(app, "/s/\(token)").status == .conflict)
            #expect(try await Survey.find(survey.id, on: app.db)?.score == 5)
            #expect(try await Kudos.query(on: app.db).count() == 2)
            // A guessed link is not ours.
            let guessed = try await customer.get(app, "/s/\(SecureToken.random())")
            #expect(guessed.status == .notFound && guessed.body.string.contains("We do not know this link"))

            // The rep marks the thanks read; nobody else can.
            let read = try #require(desk.messages.first).read
            var ritaDesk = try await BrowserSession.start(app, email: "rep2@test.example")
            #expect(try await ritaDesk.post(app, read, form: [:]).status == .notFound)
            var repDesk = try await BrowserSession.start(app, email: "rep@test.example")
            #expect(try await repDesk.post(app, read, form: [:]).status == .seeOther)
            #expect(try await WrapUpTests.state(app, world.rep).messages.isEmpty)
        }
    }

    /// A low score alerts the supervisors on their live board; one click books one callback, however many click.
    /// A link past its expiry gets a kind page; a client trying many links is asked to wait.
    @Test func aLowScoreAlertsTheSupervisorsAndOneCallbackIsBooked() async throws {
        let server = try SMTPServer(tls: false)
        defer { server.stop() }
        try await withApp(adjust: { $0.mail = Self.mail(server) }) { app in
            let world = try await World.make(on: app)
            try await Self.enable(app, world)
            let ben = try await Self.customer(app, world, "Ben Ortiz", number: "S-2", email: "ben@example.com")
            let (survey, token) = try await Self.invited(app, world, server, ben)
            // Answered from a phone's in-app browser that keeps no cookies: the link is the only key.
            let answered = try await app.exchange(
                .POST, "/s/\(token)", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "score=2&madeDay=no&better=The+van+was+late+again.&rootCauses%5B%5D=wait-time")
            )
            #expect(answered.status == .ok)
            #expect(answered.headers[.setCookie].isEmpty)
            #expect(!answered.body.string.contains("passed your thanks"))
            let stored = try #require(try await Survey.find(survey.id, on: app.db))
            #expect(stored.alert && stored.rootCauses == "wait-time" && stored.better == "The van was late again.")
            #expect(try await Kudos.query(on: app.db).count() == 0)
            let board = try await QueueBoard.load(world.ride, now: app.clock.now, on: app.db)
            #expect(board.alerts.map(\.surveyId) == [survey.id!] && board.alerts.first?.customerName == "Ben Ortiz")

            // Supervisors list alerts; the rep sees their own surveys; another program sees nothing.
            let alerts = try await app.send(.GET, "/api/v1/surveys?alert=true", token: world.supervisor.token)
                .json(ItemPage<SurveyDTO>.self)
            #expect(alerts.items.map(\.id) == [survey.id!] && alerts.items.first?.rootCauses == ["wait-time"])
            let own = try await app.send(.GET, "/api/v1/surveys", token: world.rep.token).json(ItemPage<SurveyDTO>.self)
            #expect(own.items.map(\.id) == [survey.id!])
            #expect(
                try await app.send(.GET, "/api/v1/surveys", token: world.helpRep.token).json(ItemPage<SurveyDTO>.self)
                    .items.isEmpty)
            #expect(
                try await app.send(
                    .POST, "/api/v1/surveys/\(survey.id!.lowercaseText)/callback", token: world.rep.token, json: "{}"
                ).status == .forbidden)

            // Ten supervisors' clicks at once: one callback.
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await app.send(
                            .POST, "/api/v1/surveys/\(survey.id!.lowercaseText)/callback",
                            token: world.supervisor.token,
                            json: "{}"
                        ).status
                    }
                }
                var all: [HTTPStatus] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.filter { $0 == .conflict }.count == 9)
            let callbacks = try await Callback.query(on: app.db).filter(\.$source == .survey).all()
            #expect(callbacks.count == 1 && callbacks.first?.number == "+13125550177")
            #expect(callbacks.first?.repID == world.supervisor.id)
            #expect(try await QueueBoard.load(world.ride, now: app.clock.now, on: app.db).alerts.isEmpty)

            // Past its expiry, a link gets a kind page.
            let cat = try await Self.customer(app, world, "Cat Ng", number: "S-3", email: "cat@example.com")
            let (_, late) = try await Self.invited(app, world, server, cat)
            app.manualClock.advance(by: 8 * 86_400)
            let expired = try await app.exchange(.GET, "/s/\(late)", headers: [:], body: nil)
            #expect(expired.status == .gone && expired.body.string.contains("expired"))

            // Trying link after link: refused for a while.
            var refused = 0
            for _ in 0..<40
            where try await app.exchange(.GET, "/s/\(SecureToken.random())", headers: [:], body: nil).status
                == .tooManyRequests
            {
                refused += 1
            }
            #expect(refused > 0)
        }
    }

    /// The rules on the settings page: a number that is not one is named; saved rules are what the API reads.
    @Test func aSupervisorSetsTheRulesOnTheSettingsPage() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var page = try await BrowserSession.start(app, email: "supervisor@test.example")
            let shown = try await page.get(app, "/settings/surveys?program=RIDE")
            #expect(shown.status == .ok && shown.body.string.contains(#"name="delayMinutes""#))
            let bad = try await page.post(
                app, "/settings/surveys",
                form: ["program": "RIDE", "enabled": "on", "channels[]": "email", "delayMinutes": "soon"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("delayMinutes: must be from 0"))
            let saved = try await page.post(
                app, "/settings/surveys",
                form: [
                    "program": "RIDE", "enabled": "on", "channels[]": "email", "delayMinutes": "0", "everyDays": "14",
                ])
            #expect(saved.status == .seeOther)
            let rules = try await app.send(
                .GET, "/api/v1/programs/\(world.ride.id!.lowercaseText)/survey-rules", token: world.rep.token
            ).json(SurveyRules.self)
            var expected = SurveyRules(
                enabled: true, channels: ["email"], delayMinutes: 0, everyDays: 14, expiryDays: 7, lowScore: 2)
            expected.enabledAt = app.clock.now
            #expect(rules == expected)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$action == "survey-rules.changed").count() == 1)
        }
    }

    /// "They asked not to be contacted" on the customer page: set and cleared by members of the program.
    @Test func aRepMarksACustomerNotToBeContactedFromTheirPage() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let path = "/customers/\(world.rideCustomer.id!.lowercaseText)"
            var rep = try await BrowserSession.start(app, email: "rep@test.example")
            #expect(try await rep.get(app, path).body.string.contains("They asked not to be contacted"))
            #expect(
                try await rep.post(app, "\(path)/do-not-contact", form: ["doNotContact": "true"]).status == .seeOther)
            #expect(try await Customer.find(world.rideCustomer.id, on: app.db)?.doNotContact == true)
            #expect(try await rep.get(app, path).body.string.contains("do not contact"))
            var other = try await BrowserSession.start(app, email: "helprep@test.example")
            #expect(
                try await other.post(app, "\(path)/do-not-contact", form: ["doNotContact": "false"]).status
                    == .notFound)
            #expect(
                try await rep.post(app, "\(path)/do-not-contact", form: ["doNotContact": "false"]).status == .seeOther)
            #expect(try await Customer.find(world.rideCustomer.id, on: app.db)?.doNotContact == false)
        }
    }
}
