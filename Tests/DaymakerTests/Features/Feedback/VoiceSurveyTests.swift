import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// The post-call survey in the Twilio adapter: a caller still on the line when the rep hangs up is asked, by the
/// program's rules, for a score from 1 to 5 and may record a thank-you that reaches the rep's desk; every step
/// once, however often Twilio asks.
@Suite(.timeLimit(.minutes(5))) struct VoiceSurveyTests {
    /// A caller (a RIDE customer, by their number) asks for Sarah, who takes the call; after `minutes` she hangs up
    /// (the caller still on the line, or not). Returns what Twilio is told to do next.
    static func callEnds(
        _ app: Application, _ desk: RoutingTests.Desk, _ sid: String, from: String, callerStays: Bool = true
    ) async throws -> String {
        // Sarah is back from the last call's wrap-up.
        #expect(try await PresenceTests.put(app, desk.sarah.id, "available", as: desk.sarah.token).status == .ok)
        let caller = TwilioTests.call(sid, ("From", from), ("Caller", from))
        _ = try await TwilioTests.twilio(app, "voice", caller)
        _ = try await TwilioTests.twilio(app, "gather", caller + [("SpeechResult", "Sarah.")])
        let offer = try #require(try await RoutingTests.offers(app, desk.sarah).first)
        #expect(try await app.send(.POST, "/api/v1/offers/\(offer.id)/accept", token: desk.sarah.token).status == .ok)
        _ = try await TwilioTests.twilio(app, "enqueued", caller + [("QueueResult", "leave")])
        let sarah = desk.sarah.id.lowercaseText
        let leg = TwilioTests.call(
            "\(sid)-leg", ("ParentCallSid", sid), ("CallStatus", "in-progress"), ("To", "client:rep_sarah"))
        _ = try await TwilioTests.twilio(app, "status", leg, query: "&rep=\(sarah)")
        app.manualClock.advance(by: 180)
        let done = TwilioTests.call(
            sid, ("From", from), ("CallStatus", callerStays ? "in-progress" : "completed"),
            ("DialCallStatus", "completed"), ("DialCallDuration", "180"))
        return TwilioTests.verbs(try await TwilioTests.twilio(app, "dialled", done, query: "&rep=\(sarah)"))
    }

    /// The survey's address in a response (`…/survey?program=RIDE&amp;survey=…`), unescaped.
    static func surveyURL(_ twiml: String) throws -> (path: String, id: UUID) {
        let found = try #require(
            twiml.range(of: #"survey\?program=RIDE&amp;survey=[0-9a-f-]{36}"#, options: .regularExpression))
        let id = try #require(UUID(uuidString: String(twiml[found].suffix(36))))
        return ("survey", id)
    }

    @Test func aCallerWhoStaysScoresTheCallAndTheirRecordedThanksReachSarahOnce() async throws {
        try await withApp { app in
            let desk = try await TwilioTests.desk(app)
            try await SurveyTests.enable(app, desk.world)
            let ann = try await SurveyTests.customer(
                app, desk.world, "Ann Lee", number: "S-1", email: "ann@example.com", phone: "+13125550177")
            let base = app.config.publicURL.absoluteString + "/telephony/twilio/"

            let asked = try await Self.callEnds(app, desk, "CA300", from: "+13125550177")
            let (_, id) = try Self.surveyURL(asked)
            #expect(asked.contains("<Say>Thank you for calling \(desk.world.ride.name). Please stay on the line"))
            #expect(asked.contains("about your call with Sarah.</Say>"))
            #expect(
                asked.contains(
                    #"<Gather input="dtmf" numDigits="1" action="\#(base)survey?program=RIDE&amp;survey=\#(id.lowercaseText)" method="POST" timeout="8">"#
                ))
            #expect(asked.hasSuffix("<Say>Thank you. Goodbye.</Say><Hangup/></Response>"))
            let survey = try #require(try await Survey.find(id, on: app.db))
            #expect(survey.status == .invited && survey.invitedBy == .voice && survey.address == "+13125550177")
            #expect(survey.repID == desk.sarah.id && survey.customerID == ann.id)
            // Twilio retries the request: the same survey; and the regular pass sends no email about this call.
            let sarah = desk.sarah.id.lowercaseText
            let done = TwilioTests.call(
                "CA300", ("From", "+13125550177"), ("CallStatus", "in-progress"), ("DialCallStatus", "completed"))
            #expect(
                try Self.surveyURL(
                    TwilioTests.verbs(try await TwilioTests.twilio(app, "dialled", done, query: "&rep=\(sarah)"))
                ).id == id)

            // 5, twice (a retry): answered once, and she is offered to thank Sarah.
            let query = "&survey=\(id.lowercaseText)"
            for _ in 0..<2 {
                let scored = TwilioTests.verbs(
                    try await TwilioTests.twilio(
                        app, "survey", TwilioTests.call("CA300", ("Digits", "5")), query: query))
                #expect(scored.contains("<Say>Thank you! If you would like to thank Sarah, say it after the tone"))
                #expect(
                    scored.contains(
                        ##"<Record action="\##(base)thanks?program=RIDE&amp;survey=\##(id.lowercaseText)" method="POST" maxLength="60" finishOnKey="#" playBeep="true" timeout="5"/>"##
                    ))
            }
            let answered = try #require(try await Survey.find(id, on: app.db))
            #expect(answered.status == .answered && answered.score == 5 && !answered.alert)

            let recording = "https://api.twilio.com/2010-04-01/Accounts/\(TwilioTests.accountSID)/Recordings/RE1"
            for _ in 0..<2 {
                let thanked = TwilioTests.verbs(
                    try await TwilioTests.twilio(
                        app, "thanks",
                        TwilioTests.call(
                            "CA300", ("RecordingUrl", recording), ("RecordingDuration", "7"), ("Digits", "#")),
                        query: query))
                #expect(thanked.hasSuffix("<Say>Thank you. We will pass it on. Goodbye.</Say><Hangup/></Response>"))
            }
            let kudos = try await Kudos.query(on: app.db).filter(\.$surveyID == id).all()
            #expect(kudos.count == 1)
            #expect(kudos.first?.repID == desk.sarah.id && kudos.first?.fromName == "Ann Lee")
            let wall = try await app.send(.GET, "/api/v1/reps/\(sarah)/wall", token: desk.sarah.token)
            let line = try #require(try wall.json(RepWallDTO.self).kudos.first)
            #expect(line.recordingUrl == recording)
            #expect(line.text == "Recorded a thank-you for you after the call (7 s).")
            // On her desk until she reads it.
            let state = try await WrapUpTests.state(app, desk.sarah)
            #expect(state.messages.first?.kind == "thanks" && state.messages.first?.heading == "Ann Lee thanked you")
            // The regular pass, once the delay is over, sends nothing more about this call.
            app.manualClock.advance(by: 3600)
            #expect(try await SurveyTests.run(app) == 0)
            #expect(try await Survey.query(on: app.db).count() == 1)
        }
    }

    @Test func aLowScoreAlertsAndACallerWhoHungUpOrMayNotBeAskedIsNot() async throws {
        try await withApp { app in
            let desk = try await TwilioTests.desk(app)
            try await SurveyTests.enable(app, desk.world)
            _ = try await SurveyTests.customer(
                app, desk.world, "Ann Lee", number: "S-1", email: nil, phone: "+13125550177")
            _ = try await SurveyTests.customer(
                app, desk.world, "Ben Ortiz", number: "S-2", email: nil, phone: "+13125550178")

            let asked = try await Self.callEnds(app, desk, "CA400", from: "+13125550177")
            let (_, id) = try Self.surveyURL(asked)
            let scored = TwilioTests.verbs(
                try await TwilioTests.twilio(
                    app, "survey", TwilioTests.call("CA400", ("Digits", "1")), query: "&survey=\(id.lowercaseText)"))
            #expect(scored.contains("we will look into it. Goodbye.</Say><Hangup/>"))
            #expect(!scored.contains("<Record"))
            let survey = try #require(try await Survey.find(id, on: app.db))
            #expect(survey.score == 1 && survey.alert)

            // Ben hung up before Sarah did: nothing to ask.
            #expect(
                try await Self.callEnds(app, desk, "CA401", from: "+13125550178", callerStays: false).hasSuffix(
                    "<Response></Response>"))
            // John is grieving (a bereavement care note): never asked.
            #expect(
                try await Self.callEnds(app, desk, "CA402", from: "+13125550142").hasSuffix("<Response></Response>"))
            #expect(try await Survey.query(on: app.db).filter(\.$invitedBy == .voice).count() == 1)
        }
    }
}
