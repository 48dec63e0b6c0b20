import DaymakerCore
import Foundation
import Testing

/// Who is invited to a survey after a contact ends: the rules decide, never the rep.
@Suite struct SurveyRulesTests {
    static let now = Date(timeIntervalSince1970: 1_795_015_800)
    static let rules = SurveyRules(
        enabled: true, channels: ["voice", "email"], delayMinutes: 30, everyDays: 30, expiryDays: 7, lowScore: 2)

    static func candidate(
        channel: String = "voice", handled: Bool = true, customerKnown: Bool = true,
        address: String? = "john@example.com", phone: String? = nil, doNotContact: Bool = false,
        bereavement: Bool = false,
        incident: Bool = false, lastInvitedDaysAgo: Double? = nil
    ) -> SurveyRules.Candidate {
        SurveyRules.Candidate(
            channel: channel, handled: handled, customerKnown: customerKnown,
            reachable: [address.map { .init(by: .email, address: $0) }, phone.map { .init(by: .sms, address: $0) }]
                .compactMap { $0 },
            doNotContact: doNotContact, bereavement: bereavement, incident: incident,
            lastInvitedAt: lastInvitedDaysAgo.map { now.addingTimeInterval(-$0 * 86_400) })
    }

    static let email = SurveyRules.Invitation(by: .email, address: "john@example.com")
    static let sms = SurveyRules.Invitation(by: .sms, address: "+15551234567")

    @Test(arguments: [
        (candidate(), SurveyRules.Decision.invite(email)),
        // An email is preferred; a text message when there is no email address (or no mail server).
        (candidate(phone: "+15551234567"), .invite(email)),
        (candidate(address: nil, phone: "+15551234567"), .invite(sms)),
        (candidate(address: " ", phone: " +15551234567"), .invite(sms)),
        (candidate(address: nil, phone: " "), .skip(.noAddress)),
        (candidate(address: "  john@example.com "), .invite(email)),
        (candidate(handled: false), .skip(.notHandled)),
        (candidate(channel: "chat"), .skip(.channel)),
        (candidate(customerKnown: false), .skip(.unknownCustomer)),
        (candidate(doNotContact: true), .skip(.doNotContact)),
        (candidate(bereavement: true), .skip(.bereavement)),
        (candidate(incident: true), .skip(.incident)),
        (candidate(lastInvitedDaysAgo: 29.9), .skip(.recentlyInvited)),
        (candidate(lastInvitedDaysAgo: 30), .invite(email)),
        (candidate(address: nil), .skip(.noAddress)),
        (candidate(address: " "), .skip(.noAddress)),
        // The weightiest reason is the one kept: a grieving customer is never asked, whatever else is true.
        (candidate(bereavement: true, incident: true, lastInvitedDaysAgo: 1), .skip(.bereavement)),
        (candidate(address: nil, doNotContact: true), .skip(.doNotContact)),
    ])
    func decides(candidate: SurveyRules.Candidate, decision: SurveyRules.Decision) {
        #expect(Self.rules.decide(candidate, now: Self.now) == decision)
    }

    @Test func everyDaysZeroInvitesEachTime() {
        var rules = Self.rules
        rules.everyDays = 0
        #expect(
            rules.decide(Self.candidate(lastInvitedDaysAgo: 0), now: Self.now) == .invite(Self.email))
    }

    @Test func rulesAreCheckedFieldByFieldAndMissingFieldsKeepTheirDefaults() throws {
        let partial = try JSONDecoder().decode(
            SurveyRules.self, from: Data(#"{"enabled":true,"channels":["sms","voice"]}"#.utf8))
        #expect(partial.enabled && partial.delayMinutes == 30 && partial.everyDays == 30)
        #expect(try partial.validated().channels == ["voice", "sms"])
        let bad = SurveyRules(
            enabled: true, channels: ["fax", "sms", "sms"], delayMinutes: -1, everyDays: 400, expiryDays: 0,
            lowScore: 5)
        #expect(throws: ValidationFailure.self) { try bad.validated() }
        do {
            _ = try bad.validated()
        } catch {
            #expect(
                error.fields == ["channels[0]", "channels", "delayMinutes", "everyDays", "expiryDays", "lowScore"])
        }
    }
}

@Suite struct SurveyCreditTests {
    static let sarah = SurveyCredit.Rep(id: UUID(), name: "Sarah")
    static let ana = SurveyCredit.Rep(id: UUID(), name: "Ana María")
    static let al = SurveyCredit.Rep(id: UUID(), name: "Al")
    static let handler = UUID()

    @Test(arguments: [
        ("Thank you!", [false, false, false]),
        ("Sarah was wonderful", [true, false, false]),
        ("sarah's patience made my day", [true, false, false]),
        ("SARAH, thank you", [true, false, false]),
        ("Sarahjane helped", [false, false, false]),
        ("ana maria sorted my bill", [false, true, false]),
        ("Ana sorted my bill", [false, false, false]),
        ("Al and Sarah both", [true, false, true]),
        ("Alright, all fine", [false, false, false]),
    ])
    func aRepIsNamedAsAWholeNameWhateverTheCaseOrAccents(text: String, named: [Bool]) {
        #expect([Self.sarah, Self.ana, Self.al].map { SurveyCredit.names($0.name, in: text) } == named)
    }

    @Test func theHandlerIsCreditedFirstAndANamedRepOnce() {
        let reps = [Self.sarah, Self.ana, SurveyCredit.Rep(id: Self.handler, name: "Tom")]
        #expect(
            SurveyCredit.reps(handledBy: Self.handler, text: "Tom and Sarah, and Sarah again", reps: reps) == [
                Self.handler, Self.sarah.id,
            ])
        #expect(SurveyCredit.reps(handledBy: nil, text: "Thanks Ana María", reps: reps) == [Self.ana.id])
        #expect(SurveyCredit.reps(handledBy: Self.handler, text: "", reps: reps) == [Self.handler])
    }
}

@Suite struct FixedWindowLimiterTests {
    @Test func aKeyIsRefusedOverItsLimitUntilTheWindowPasses() {
        var limiter = FixedWindowLimiter(limit: 3, window: 60)
        let start = Date(timeIntervalSince1970: 1_000)
        #expect((0..<5).map { _ in limiter.allow("a", now: start) } == [true, true, true, false, false])
        let other = limiter.allow("b", now: start)
        let stillOver = limiter.allow("a", now: start.addingTimeInterval(59))
        let nextWindow = limiter.allow("a", now: start.addingTimeInterval(60))
        #expect(other && !stillOver && nextWindow)
    }
}
