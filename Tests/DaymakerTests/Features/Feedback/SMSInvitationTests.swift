import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// Survey invitations by text message: posted to the program's SMS webhook (a real HTTP receiver that checks the
/// signature with Python's `hmac`), signed with a secret stored sealed, and tried again with growing pauses until
/// the provider takes it, or given up when it refuses it for good.
@Suite(.timeLimit(.minutes(5))) struct SMSInvitationTests {
    static let secret = "whsec_4f2a9c0d8e7b6a51"

    /// Connects RIDE to the receiver's webhook as its admin.
    static func connect(_ app: Application, _ world: World, _ receiver: WebhookReceiver) async throws {
        let saved = try await app.send(
            .PUT, "/api/v1/programs/\(world.ride.id!.lowercaseText)/sms-webhook", token: world.admin.token,
            json: #"{"url":"\#(receiver.url)","secret":"\#(secret)"}"#)
        #expect(saved.status == .ok, "\(saved.body.string)")
        #expect(!saved.body.string.contains(secret))
    }

    /// Cat, who has a mobile number and no email address, called RIDE from another 40 minutes ago (surveys on,
    /// voice).
    static func catCalled(_ app: Application, _ world: World) async throws -> Contact {
        try await SurveyTests.enable(app, world, #"{"enabled":true,"channels":["voice"],"delayMinutes":30}"#)
        let cat = try await SurveyTests.customer(
            app, world, "Cat Ng", number: "S-3", email: nil, phone: "(312) 555-0199")
        return try await SurveyTests.ended(app, world, cat, rep: world.rep.id, minutes: 40)
    }

    static func send(_ app: Application) async throws -> Int {
        try await Outbox.sendDue(.init(app), now: app.clock.now, logger: app.logger, on: app.db)
    }

    struct Payload: Decodable {
        var type: String
        var id: String
        var program: String
        var to: String
        var text: String
    }

    @Test func aCustomerWithoutEmailIsTextedSignedAndTriedAgainUntilTheProviderTakesIt() async throws {
        let receiver = try WebhookReceiver(secret: Self.secret, answers: [503, 429, 200])
        defer { receiver.stop() }
        try await withApp { app in
            let world = try await World.make(on: app)
            // No mail server and no webhook: nothing can reach anyone, so nothing is decided.
            _ = try await Self.catCalled(app, world)
            #expect(try await SurveyTests.run(app, mailConfigured: false) == 0)
            #expect(try await Survey.query(on: app.db).count() == 0)

            try await Self.connect(app, world, receiver)
            let stored = try #require(try await SMSWebhook.query(on: app.db).first())
            #expect(!stored.secretSealed.contains(Self.secret))
            let shown = try await app.send(
                .GET, "/api/v1/programs/\(world.ride.id!.lowercaseText)/sms-webhook", token: world.admin.token)
            #expect(try shown.json(SMSWebhookView.self).secretUsable)
            #expect(!shown.body.string.contains(Self.secret))

            #expect(try await SurveyTests.run(app, mailConfigured: false) == 1)
            let survey = try #require(try await Survey.query(on: app.db).filter(\.$status == .invited).first())
            #expect(survey.invitedBy == .sms)
            // The number she called from (not the one on her record): the one she answers.
            #expect(survey.address == "+13125550177")

            // 503, then 429: kept, and tried again after one minute, then three.
            #expect(try await Self.send(app) == 0)
            #expect(try await Self.send(app) == 0)
            #expect(try receiver.received().count == 1)
            app.manualClock.advance(by: 60)
            #expect(try await Self.send(app) == 0)
            app.manualClock.advance(by: 179)
            #expect(try await Self.send(app) == 0)
            #expect(try receiver.received().count == 2)
            app.manualClock.advance(by: 1)
            #expect(try await Self.send(app) == 1)
            #expect(try await Self.send(app) == 0)

            let received = try receiver.received()
            #expect(received.map(\.status) == [503, 429, 200])
            #expect(received.allSatisfy { $0.signed })
            #expect(received.allSatisfy { $0.headers["content-type"] == "application/json; charset=utf-8" })
            let deliveries = Set(received.compactMap { $0.headers["x-daymaker-delivery"] })
            #expect(deliveries.count == 1)
            let payloads = try received.map { try JSONDecoder().decode(Payload.self, from: Data($0.body.utf8)) }
            #expect(payloads.allSatisfy { $0.type == "survey.invitation" && $0.to == "+13125550177" })
            #expect(payloads.allSatisfy { $0.program == "RIDE" && deliveries.contains($0.id) })
            #expect(payloads[2].text.hasPrefix("\(world.ride.name): Hello Cat Ng, did Rep make your day?"))
            // Each try carried a new link; only the one delivered opens the survey.
            let links = payloads.compactMap { payload in
                payload.text.range(of: #"/s/[A-Za-z0-9_-]{20,}"#, options: .regularExpression).map {
                    String(payload.text[$0])
                }
            }
            #expect(Set(links).count == 3)
            var customer = try await BrowserSession.start(app)
            #expect(try await customer.get(app, links[2]).body.string.contains("Did Rep make your day?"))
            #expect(try await customer.get(app, links[0]).status == .notFound)
        }
    }

    @Test func aProviderThatRefusesTheMessageForGoodIsNotAskedAgain() async throws {
        let receiver = try WebhookReceiver(secret: Self.secret, answers: [400])
        defer { receiver.stop() }
        try await withApp { app in
            let world = try await World.make(on: app)
            try await Self.connect(app, world, receiver)
            _ = try await Self.catCalled(app, world)
            #expect(try await SurveyTests.run(app, mailConfigured: false) == 1)
            #expect(try await Self.send(app) == 0)
            let message = try #require(try await OutgoingMessage.query(on: app.db).first())
            #expect(message.status == .failed)
            #expect(message.channel == .sms)
            #expect(message.lastError == "the SMS webhook answered 400")
            app.manualClock.advance(by: 86_400)
            #expect(try await Self.send(app) == 0)
            #expect(try receiver.received().count == 1)
        }
    }

    @Test func anAddressWithCredentialsOrAShortSecretIsRefused() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let refused = try await app.send(
                .PUT, "/api/v1/programs/\(world.ride.id!.lowercaseText)/sms-webhook", token: world.admin.token,
                json: #"{"url":"https://user:pw@sms.example.com/in","secret":"short"}"#)
            #expect(refused.status == .unprocessableEntity)
            #expect(try refused.problem().errors?.map(\.field) == ["url", "secret"])
            #expect(try await SMSWebhook.query(on: app.db).count() == 0)
        }
    }
}
