import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// A call through Twilio's webhooks: signed requests only, each step turned into contact events exactly once
/// (Twilio retries), routing that offers the caller to the rep they asked for, and `<Dial><Client>` to the rep who
/// accepted. (The browser suite drives the same path with Twilio's own Python library signing the requests.)
@Suite struct TwilioTests {
    static let authToken = "9f86d081884c7d659a2feaa0c55ad015"
    static let accountSID = "AC0123456789abcdef0123456789abcdef"

    /// The routing desk (John's rep and Sarah available) with RIDE connected to a Twilio account.
    static func desk(_ app: Application) async throws -> RoutingTests.Desk {
        let desk = try await RoutingTests.desk(app)
        let saved = try await app.send(
            .PUT, "/api/v1/programs/\(desk.world.ride.id!)/twilio", token: desk.world.admin.token,
            json: #"{"accountSid":"\#(accountSID)","authToken":"\#(authToken)"}"#)
        #expect(saved.status == .ok)
        return desk
    }

    /// Sends one webhook as Twilio would: form-encoded, signed over the public URL and every parameter.
    static func twilio(
        _ app: Application, _ step: String, _ parameters: [(String, String)], query: String = "",
        program: String = "RIDE", token: String = authToken, signature: String? = nil
    ) async throws -> TestingHTTPResponse {
        let path = "/telephony/twilio/\(step)?program=\(program)\(query)"
        let url = app.config.publicURL.absoluteString + path
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        headers.add(
            name: "X-Twilio-Signature",
            value: signature ?? TwilioSignature(authToken: token).signature(url: url, parameters: parameters))
        var form = URLComponents()
        form.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        let body = (form.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    /// What Twilio sends about John's call, plus `extra`.
    static func call(_ sid: String = "CA100", _ extra: (String, String)...) -> [(String, String)] {
        let base = [
            ("AccountSid", accountSID), ("CallSid", sid), ("From", "+13125550142"), ("To", "+13125550100"),
            ("Caller", "+13125550142"), ("Called", "+13125550100"), ("CallStatus", "ringing"),
            ("Direction", "inbound"), ("ApiVersion", "2010-04-01"),
        ]
        return base.filter { field in !extra.contains { $0.0 == field.0 } } + extra
    }

    static func verbs(_ response: TestingHTTPResponse) -> String {
        #expect(response.status == .ok)
        #expect(response.headers.contentType == .xml)
        return response.body.string
    }

    static func events(on db: any Database) async throws -> Int { try await ContactEventRecord.query(on: db).count() }

    @Test func johnAsksForSarahAndIsPutThroughToHerSoftphone() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            let ride = desk.world.ride
            let base = app.config.publicURL.absoluteString + "/telephony/twilio/"
            let greeting = Self.verbs(try await Self.twilio(app, "voice", Self.call()))
            // The time the call came in travels in the next address (signed by Twilio like all of it).
            let next = "\(base)gather?program=RIDE&amp;arrived=\(Int(World.now.timeIntervalSince1970) * 1000)"
            #expect(greeting.contains(#"<Gather input="dtmf speech" action="\#(next)" method="POST""#))
            #expect(greeting.contains("Thank you for calling \(ride.name)."))
            #expect(greeting.contains(#"<Redirect method="POST">\#(next)</Redirect>"#))
            // Nothing is routed while the caller is in the menu: whom they ask for decides.
            #expect(try await ContactEventTests.contact("CA100", on: app.db) == nil)

            app.manualClock.advance(by: 8)
            let queued = Self.verbs(
                try await Self.twilio(
                    app, "gather", Self.call("CA100", ("SpeechResult", "Sarah."), ("Confidence", "0.9")),
                    query: "&arrived=\(Int(World.now.timeIntervalSince1970) * 1000)"))
            let contact = try #require(try await ContactEventTests.contact("CA100", on: app.db))
            #expect(contact.$customer.id == desk.world.rideCustomer.id)
            #expect(contact.channel == .voice)
            #expect(contact.arrivedAt == World.now)
            #expect(contact.requestedRep == "Sarah")
            #expect(
                queued.contains(
                    #"<Enqueue action="\#(base)enqueued?program=RIDE" method="POST" waitUrl="\#(base)wait?program=RIDE" waitUrlMethod="POST">RIDE</Enqueue>"#
                ))
            let offer = try #require(try await RoutingTests.offers(app, desk.sarah).first)
            #expect(offer.reason == .askedFor)

            let holding = Self.verbs(
                try await Self.twilio(app, "wait", Self.call("CA100", ("QueuePosition", "1"), ("QueueTime", "0"))))
            #expect(holding.contains("<Say>You are next in line."))
            #expect(!holding.contains("<Leave/>"))
            let accepted = try await app.send(.POST, "/api/v1/offers/\(offer.id)/accept", token: desk.sarah.token)
            #expect(accepted.status == .ok)
            app.manualClock.advance(by: 4)
            let leave = Self.verbs(
                try await Self.twilio(app, "wait", Self.call("CA100", ("QueuePosition", "1"), ("QueueTime", "4"))))
            #expect(leave.hasSuffix("<Response><Leave/></Response>"))

            let sarah = desk.sarah.id.lowercaseText
            let identity = "rep_" + sarah.replacingOccurrences(of: "-", with: "")
            let dial = Self.verbs(try await Self.twilio(app, "enqueued", Self.call("CA100", ("QueueResult", "leave"))))
            #expect(
                dial.contains(
                    #"<Dial action="\#(base)dialled?program=RIDE&amp;rep=\#(sarah)" method="POST" timeout="20">"#))
            #expect(dial.contains("<Identity>\(identity)</Identity>"))
            #expect(dial.contains(#"<Parameter name="daymakerContactId" value="\#(contact.id!.lowercaseText)"/>"#))

            // The rep's leg answers: the contact is connected to Sarah, who is busy. Twilio retries; nothing doubles.
            app.manualClock.advance(by: 6)
            let answered = Self.call(
                "CA200", ("ParentCallSid", "CA100"), ("CallStatus", "in-progress"), ("From", "+13125550142"),
                ("To", "client:\(identity)"))
            for _ in 0..<2 {
                #expect(try await Self.twilio(app, "status", answered, query: "&rep=\(sarah)").status == .ok)
            }
            var now = try #require(try await ContactEventTests.contact("CA100", on: app.db))
            #expect(now.status == .connected)
            #expect(now.$rep.id == desk.sarah.id)
            #expect(now.answeredAt == app.clock.now)
            #expect(try await RoutingTests.presence(app, desk.sarah.id) == .busy)

            app.manualClock.advance(by: 240)
            let recorded = try await Self.events(on: app.db)
            let done = Self.call("CA100", ("DialCallStatus", "completed"), ("DialCallDuration", "240"))
            for _ in 0..<2 {
                #expect(
                    Self.verbs(try await Self.twilio(app, "dialled", done, query: "&rep=\(sarah)")).hasSuffix(
                        "<Response></Response>"))
            }
            #expect(try await Self.events(on: app.db) == recorded + 1)
            now = try #require(try await ContactEventTests.contact("CA100", on: app.db))
            #expect(now.status == .ended)
            #expect(now.endedAt == app.clock.now)
            #expect(try await RoutingTests.presence(app, desk.sarah.id) == .wrapUp)
            // The number's own status callback at the end changes nothing more.
            let completed = Self.call("CA100", ("CallStatus", "completed"), ("CallDuration", "250"))
            #expect(try await Self.twilio(app, "status", completed).status == .ok)
            #expect(try await Self.events(on: app.db) == recorded + 1)
        }
    }

    @Test func aRequestNotSignedWithTheProgramsTokenIsRefusedAndRecordsNothing() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            var refused: [TestingHTTPResponse] = [
                try await Self.twilio(app, "voice", Self.call(), token: "ffffffffffffffffffffffffffffffff"),
                try await Self.twilio(app, "voice", Self.call(), signature: ""),
                try await Self.twilio(app, "voice", Self.call(), program: "HELP"),  // HELP has no Twilio account
            ]
            // Signed for other parameters than those sent.
            let url = app.config.publicURL.absoluteString + "/telephony/twilio/voice?program=RIDE"
            let signed = TwilioSignature(authToken: Self.authToken).signature(url: url, parameters: Self.call("CA999"))
            refused.append(try await Self.twilio(app, "voice", Self.call("CA100"), signature: signed))
            refused.append(try await Self.twilio(app, "voice", Self.call("CA999", ("Extra", "1")), signature: signed))
            for response in refused {
                #expect(response.status == .forbidden)
                #expect(
                    try response.problem().detail == "This request is not signed by the program's telephony account.")
            }
            #expect(try await Contact.query(on: app.db).filter(\.$externalID ~~ ["CA100", "CA999"]).count() == 0)
            #expect(try await Self.events(on: app.db) == 0)
            // The right signature over the same request is accepted.
            #expect(try await Self.twilio(app, "voice", Self.call("CA999"), signature: signed).status == .ok)
            _ = desk
        }
    }

    @Test func whenTheRepsPhoneDoesNotAnswerTheCallerWaitsForTheNextRep() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            _ = try await Self.twilio(app, "voice", Self.call())
            _ = try await Self.twilio(app, "gather", Self.call())
            // John's last rep is offered him first.
            let offer = try #require(try await RoutingTests.offers(app, desk.world.rep).first)
            #expect(
                try await app.send(.POST, "/api/v1/offers/\(offer.id)/accept", token: desk.world.rep.token).status
                    == .ok)
            let rep = desk.world.rep.id.lowercaseText
            let again = Self.verbs(
                try await Self.twilio(
                    app, "dialled", Self.call("CA100", ("DialCallStatus", "no-answer")), query: "&rep=\(rep)"))
            #expect(again.contains("<Enqueue "))
            let contact = try #require(try await ContactEventTests.contact("CA100", on: app.db))
            #expect(contact.$rep.id == nil)
            #expect(contact.status == .queued)
            #expect(try await RoutingTests.presence(app, desk.world.rep.id) == .away)
            #expect(try await RoutingTests.offers(app, desk.sarah).count == 1)
        }
    }

    @Test func aCallerWhoAsksForSarahWhileSheIsOffHearsWhenSheIsBackAndCanBookHerCallback() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            // Sarah works Thursdays 9 to 5 in Chicago and has gone home; it is Wednesday 9:30 there.
            try await Self.sarahIsOffUntilTomorrowAtNine(app, desk)

            _ = try await Self.twilio(app, "voice", Self.call())
            let choice = Self.verbs(try await Self.twilio(app, "gather", Self.call("CA100", ("SpeechResult", "sarah"))))
            let sarah = desk.sarah.id.lowercaseText
            let base = app.config.publicURL.absoluteString + "/telephony/twilio/"
            let next = "\(base)callback?program=RIDE&amp;arrived=&amp;asked=sarah&amp;rep=\(sarah)"
            let offer =
                "Sarah is back tomorrow at 9 AM. Press 1 and Sarah will call you back, or 2 for the next person."
            #expect(
                choice.contains(
                    #"<Gather input="dtmf" numDigits="1" action="\#(next)" method="POST" timeout="8"><Say>\#(offer)</Say>"#
                ),
                "\(choice)")
            #expect(
                try await ContactEventTests.contact("CA100", on: app.db) == nil, "nobody is offered the call meanwhile")

            let booked = Self.verbs(
                try await Self.twilio(
                    app, "callback", Self.call("CA100", ("Digits", "1")), query: "&arrived=&asked=sarah&rep=\(sarah)"))
            #expect(
                booked.contains(
                    "<Say>Thank you. Sarah will call you back at this number tomorrow at 9 AM. Goodbye.</Say><Hangup/>")
            )
            let callback = try #require(try await Callback.query(on: app.db).first())
            #expect(callback.source == .ivr)
            #expect(callback.repID == desk.sarah.id)
            #expect(callback.number == "+13125550142")
            #expect(callback.customerID == desk.world.rideCustomer.id)
            #expect(callback.dueStart == World.now.addingTimeInterval(86_400 - 1_800))  // Thursday 9:00 in Chicago
            let contact = try #require(try await ContactEventTests.contact("CA100", on: app.db))
            #expect(contact.status == .ended)
            #expect(contact.requestedRep == "sarah")
            #expect(try await RoutingTests.offers(app, desk.world.rep).isEmpty)

            // The next caller would rather talk to someone now.
            _ = try await Self.twilio(app, "gather", Self.call("CA101", ("SpeechResult", "Sarah")))
            let holding = Self.verbs(
                try await Self.twilio(
                    app, "callback", Self.call("CA101", ("Digits", "2")), query: "&arrived=&asked=Sarah&rep=\(sarah)"))
            #expect(holding.contains("<Say>Please hold for the next person.</Say><Enqueue "))
            #expect(try await ContactEventTests.contact("CA101", on: app.db)?.status == .queued)
            #expect(try await RoutingTests.offers(app, desk.world.rep).count == 1)
        }
    }

    @Test func duringAnIncidentCallersHearItsMessageAndCanAskToBeCalledBackOnce() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            let declared = try await app.send(
                .POST, "/api/v1/incidents", token: desk.world.supervisor.token,
                json: #"""
                    {"programs":["RIDE"],"title":"Cable cut","publicMessage":"Our phones are down.",
                    "ivrMessage":"A cable cut has taken our phones down; we cannot take your call."}
                    """#)
            let incident = try declared.json(IncidentDTO.self).id.lowercaseText
            let message = Self.verbs(try await Self.twilio(app, "voice", Self.call("CA200")))
            let base = app.config.publicURL.absoluteString + "/telephony/twilio/"
            #expect(
                message.contains(
                    #"<Gather input="dtmf" numDigits="1" action="\#(base)incident?program=RIDE&amp;arrived="#))
            #expect(message.contains("&amp;incident=\(incident)"))
            #expect(
                message.contains(
                    "<Say>A cable cut has taken our phones down; we cannot take your call. Press 1 and we will call "
                        + "you back at this number as soon as we can.</Say></Gather>"), "\(message)")
            #expect(!message.contains("Enqueue"))

            // John presses 1; Twilio sends the request three times.
            for _ in 0..<3 {
                let booked = Self.verbs(
                    try await Self.twilio(
                        app, "incident", Self.call("CA200", ("Digits", "1")), query: "&arrived=&incident=\(incident)"))
                #expect(
                    booked.contains(
                        "<Say>Thank you. We will call you back at this number as soon as we can. Goodbye.</Say><Hangup/>"
                    ))
            }
            let callback = try #require(try await Callback.query(on: app.db).first())
            #expect(try await Callback.query(on: app.db).count() == 1)
            #expect(callback.incidentID?.lowercaseText == incident)
            #expect(callback.source == .ivr)
            #expect(callback.number == "+13125550142")
            #expect(callback.customerID == desk.world.rideCustomer.id)
            #expect(callback.reason == "Asked to be called back during “Cable cut”")
            #expect(try await ContactEventTests.contact("CA200", on: app.db)?.status == .ended)

            // Another caller hangs up after the message: a missed contact, no callback; nobody is offered either.
            let left = Self.verbs(
                try await Self.twilio(
                    app, "incident", Self.call("CA201", ("From", "+13125550177")),
                    query: "&arrived=&incident=\(incident)"))
            #expect(left.contains("<Say>Thank you for calling. Goodbye.</Say><Hangup/>"))
            #expect(try await ContactEventTests.contact("CA201", on: app.db)?.status == .abandoned)
            #expect(try await Callback.query(on: app.db).count() == 1)
            #expect(try await RoutingTests.offers(app, desk.world.rep).isEmpty)

            // Resolved: calls are answered as usual again.
            _ = try await app.send(
                .POST, "/api/v1/incidents/\(incident)/resolve", token: desk.world.supervisor.token, json: "{}")
            let usual = Self.verbs(try await Self.twilio(app, "voice", Self.call("CA202")))
            #expect(usual.contains("Thank you for calling"))
            #expect(!usual.contains("incident?"))
        }
    }

    @Test func twilioRetryingACallbackRequestAtOnceBooksOneCallback() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            let declared = try await app.send(
                .POST, "/api/v1/incidents", token: desk.world.supervisor.token,
                json: #"{"programs":["RIDE"],"title":"Down","publicMessage":"Down.","ivrMessage":"We are down."}"#)
            let incident = try declared.json(IncidentDTO.self).id.lowercaseText
            let path = "/telephony/twilio/incident?program=RIDE&arrived=&incident=\(incident)"
            let parameters = Self.call("CA300", ("Digits", "1"))
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            headers.add(
                name: "X-Twilio-Signature",
                value: TwilioSignature(authToken: Self.authToken).signature(
                    url: app.config.publicURL.absoluteString + path, parameters: parameters))
            var form = URLComponents()
            form.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
            let body = (form.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
            let signed = headers
            try await LiveServer.run(app) { server in
                let replies = try await server.concurrently(20) { _ in
                    try await server.exchange(.POST, path, headers: signed, body: ByteBuffer(string: body))
                }
                #expect(replies.allSatisfy { $0.status == .ok })
                #expect(replies.allSatisfy { $0.body.string.contains("We will call you back at this number") })
            }
            #expect(try await Callback.query(on: app.db).count() == 1)
            #expect(try await ContactEventTests.contact("CA300", on: app.db)?.status == .ended)
        }
    }

    /// Sarah works Thursdays 9 to 5 and has gone offline (World.now is a Wednesday afternoon).
    static func sarahIsOffUntilTomorrowAtNine(_ app: Application, _ desk: RoutingTests.Desk) async throws {
        let shifts = #"{"program":"RIDE","shifts":[{"weekday":4,"start":"09:00","end":"17:00"}]}"#
        let path = "/api/v1/users/\(desk.sarah.id)/shifts"
        #expect(try await app.send(.PUT, path, token: desk.world.supervisor.token, json: shifts).status == .ok)
        #expect(try await PresenceTests.put(app, desk.sarah.id, "offline", as: desk.sarah.token).status == .ok)
    }

    @Test func aRegularWhosePreferredRepIsOffHearsWhenSheIsBackWithoutAsking() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            desk.world.rideCustomer.$preferredRep.id = desk.sarah.id
            try await desk.world.rideCustomer.save(on: app.db)
            try await Self.sarahIsOffUntilTomorrowAtNine(app, desk)

            // John keys nothing and says nothing: he is recognised by his number, and Sarah is his rep.
            let choice = Self.verbs(try await Self.twilio(app, "gather", Self.call()))
            #expect(choice.contains("<Say>Sarah is back tomorrow at 9 AM. Press 1 and Sarah will call you back"))
            #expect(!choice.contains("asked="))
            let sarah = desk.sarah.id.lowercaseText
            let holding = Self.verbs(
                try await Self.twilio(
                    app, "callback", Self.call("CA100", ("Digits", "2")), query: "&arrived=&rep=\(sarah)"))
            #expect(holding.contains("<Enqueue "))
            let contact = try #require(try await ContactEventTests.contact("CA100", on: app.db))
            #expect(contact.requestedRep == nil)
            #expect(try await RoutingTests.offers(app, desk.world.rep).count == 1)
        }
    }

    /// Seed 001: the caller has no name to ask for, but Sarah helped him last (within the program's lookback).
    @Test func aCallerWhomSarahHelpedLastHearsWhenSheIsBackUnlessThatWasLongAgo() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            desk.world.rideContact.$rep.id = desk.sarah.id
            try await desk.world.rideContact.save(on: app.db)
            try await Self.sarahIsOffUntilTomorrowAtNine(app, desk)

            let choice = Self.verbs(try await Self.twilio(app, "gather", Self.call()))
            #expect(choice.contains("<Say>Sarah is back tomorrow at 9 AM. Press 1 and Sarah will call you back"))

            // Beyond the lookback she is nobody's rep: the caller is queued for the next person.
            desk.world.rideContact.arrivedAt = World.now.addingTimeInterval(-400 * 86_400)
            try await desk.world.rideContact.save(on: app.db)
            let queued = Self.verbs(try await Self.twilio(app, "gather", Self.call("CA101")))
            #expect(queued.contains("<Enqueue "))
            #expect(!queued.contains("Press 1"))
        }
    }

    @Test func aCallerWhoHangsUpInTheMenuIsStillAMissedCall() async throws {
        try await withApp { app in
            _ = try await Self.desk(app)
            _ = try await Self.twilio(app, "voice", Self.call())
            app.manualClock.advance(by: 7)
            let over = Self.call("CA100", ("CallStatus", "completed"), ("CallDuration", "7"))
            for _ in 0..<2 { #expect(try await Self.twilio(app, "status", over).status == .ok) }
            let contact = try #require(try await ContactEventTests.contact("CA100", on: app.db))
            #expect(contact.status == .abandoned)
            #expect(contact.arrivedAt == World.now)
            #expect(contact.endedAt == app.clock.now)
            #expect(try await ContactEventRecord.query(on: app.db).count() == 2)
        }
    }

    @Test func aCallerWhoHangsUpWhileHoldingIsAbandonedOnceHoweverOftenTwilioTells() async throws {
        try await withApp { app in
            _ = try await Self.desk(app)
            _ = try await Self.twilio(app, "voice", Self.call())
            _ = try await Self.twilio(app, "gather", Self.call("CA100", ("Digits", "R-1001")))
            let before = try await Self.events(on: app.db)
            let hangup = Self.call("CA100", ("QueueResult", "hangup"), ("QueueTime", "35"))
            try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<12 { group.addTask { try await Self.twilio(app, "enqueued", hangup).status } }
                for try await status in group { #expect(status == .ok) }
            }
            #expect(try await Self.events(on: app.db) == before + 1)
            let contact = try #require(try await ContactEventTests.contact("CA100", on: app.db))
            #expect(contact.status == .abandoned)
            #expect(try await Offer.query(on: app.db).filter(\.$status == .open).count() == 0)
        }
    }

    @Test func theAuthTokenIsSealedNeverShownAndOnlyAdminsConnectAnAccount() async throws {
        try await withApp { app in
            let desk = try await Self.desk(app)
            let path = "/api/v1/programs/\(desk.world.ride.id!)/twilio"
            let shown = try await app.send(.GET, path, token: desk.world.admin.token)
            #expect(shown.status == .ok)
            #expect(!shown.body.string.contains(Self.authToken))
            let view = try shown.json(TwilioAccountView.self)
            #expect(view.accountSid == Self.accountSID)
            #expect(view.authTokenUsable)
            #expect(view.voiceUrl == app.config.publicURL.absoluteString + "/telephony/twilio/voice?program=RIDE")
            let stored = try #require(try await TwilioAccount.query(on: app.db).first())
            #expect(!stored.authTokenSealed.contains(Self.authToken))
            #expect(app.secretBox.open(stored.authTokenSealed) == Self.authToken)
            #expect(SecretBox(secret: "another-secret-another-secret-4242").open(stored.authTokenSealed) == nil)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "twilio.saved").all()
            #expect(audit.count == 1)
            #expect(!audit.contains { $0.detail.contains(Self.authToken) })

            #expect(try await app.send(.GET, path, token: desk.world.supervisor.token).status == .forbidden)
            let bad = try await app.send(
                .PUT, path, token: desk.world.admin.token, json: #"{"accountSid":"AC12","authToken":"short token"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(try bad.problem().errors?.map(\.field) == ["accountSid", "authToken"])
            #expect(try await app.send(.DELETE, path, token: desk.world.admin.token).status == .noContent)
            #expect(try await app.send(.GET, path, token: desk.world.admin.token).status == .notFound)
            #expect(try await Self.twilio(app, "voice", Self.call()).status == .forbidden)
        }
    }
}
