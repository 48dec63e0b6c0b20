import Foundation
import Testing

@testable import DaymakerCore

@Suite struct RecognitionPolicyTests {
    static let chicago = TimeZone(identifier: "America/Chicago")!
    /// Monday 23 November 2026, 10:00 in Chicago.
    static let now = ISO8601DateFormatter().date(from: "2026-11-23T16:00:00Z")!
    let policy = RecognitionPolicy(settings: .defaults, timeZone: chicago)

    static func inbound(daysAgo: [Double], rep: UUID? = nil) -> [RecognitionPolicy.Past] {
        daysAgo.map { .init(arrivedAt: now.addingTimeInterval(-$0 * 86_400), inbound: true, repID: rep, handled: true) }
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let daysAgo: [Double]
        let regular: Bool
        let usualGap: Double?
        let since: Int?
        let missed: Bool
        var testDescription: String { name }
    }

    @Test(arguments: [
        Row(name: "never in touch", daysAgo: [], regular: false, usualGap: nil, since: nil, missed: false),
        Row(name: "one contact", daysAgo: [3], regular: false, usualGap: nil, since: 3, missed: false),
        Row(
            name: "daily regular, called yesterday", daysAgo: Array(stride(from: 1.0, through: 40, by: 1)),
            regular: true, usualGap: 1, since: 1, missed: false),
        Row(
            name: "daily regular whose rhythm broke 12 days ago",
            daysAgo: Array(stride(from: 12.0, through: 80, by: 1)),
            regular: true, usualGap: 1, since: 12, missed: true),
        Row(
            name: "daily regular away 5 days: beyond 3x but under the 7-day floor",
            daysAgo: Array(stride(from: 5.0, through: 60, by: 1)),
            regular: true, usualGap: 1, since: 5, missed: false),
        Row(
            name: "weekly regular who never breaks rhythm", daysAgo: Array(stride(from: 2.0, through: 86, by: 7)),
            regular: true, usualGap: 7, since: 2, missed: false),
        Row(
            name: "weekly regular away 20 days: under 3x21", daysAgo: Array(stride(from: 20.0, through: 86, by: 7)),
            regular: true, usualGap: 7, since: 20, missed: false),
        Row(
            name: "weekly regular away 25 days", daysAgo: [25, 32, 39, 46, 53, 60, 67],
            regular: true, usualGap: 7, since: 25, missed: true),
        Row(
            name: "same-day burst is one day", daysAgo: [2, 2.01, 2.02, 2.03, 2.04, 2.05], regular: false,
            usualGap: nil, since: 2, missed: false),
        Row(
            name: "four contact days is not a regular", daysAgo: [10, 20, 30, 40], regular: false, usualGap: 10,
            since: 10, missed: false),
        Row(
            name: "contacts older than the window do not count", daysAgo: [100, 101, 102, 103, 104, 105],
            regular: false, usualGap: nil, since: 100, missed: false),
        Row(
            name: "occasional caller away long is not missed", daysAgo: [50, 80], regular: false, usualGap: 30,
            since: 50, missed: false),
    ])
    func assessesHistories(row: Row) {
        let assessment = policy.assess(Self.inbound(daysAgo: row.daysAgo), now: Self.now)
        #expect(assessment.regular == row.regular)
        #expect(assessment.usualGapDays == row.usualGap)
        #expect(assessment.daysSinceLastContact == row.since)
        #expect(assessment.missedYou == row.missed)
    }

    @Test func daysAreCountedInTheProgramsZoneAroundMidnight() {
        let formatter = ISO8601DateFormatter()
        // 23:50 and 00:10 Chicago time are two local days, although only 20 minutes apart.
        let late = formatter.date(from: "2026-11-20T05:50:00Z")!  // 19 Nov, 23:50 in Chicago
        let early = formatter.date(from: "2026-11-20T06:10:00Z")!  // 20 Nov, 00:10 in Chicago
        #expect(policy.day(of: early) - policy.day(of: late) == 1)
        // The same two instants are one day in London.
        let london = RecognitionPolicy(settings: .defaults, timeZone: TimeZone(identifier: "Europe/London")!)
        #expect(london.day(of: early) == london.day(of: late))
        // A call at 23:30 last night is "1 day ago" at 10:00 this morning.
        let lastNight = formatter.date(from: "2026-11-23T05:30:00Z")!
        #expect(
            policy.assess([.init(arrivedAt: lastNight, inbound: true, repID: nil, handled: true)], now: Self.now)
                .daysSinceLastContact == 1)
    }

    @Test func regularThresholdsAreTunable() {
        var settings = RecognitionSettings.defaults
        settings.regularMinimumContacts = 3
        settings.windowDays = 30
        let tuned = RecognitionPolicy(settings: settings, timeZone: Self.chicago)
        let history = Self.inbound(daysAgo: [1, 8, 15])
        #expect(tuned.assess(history, now: Self.now).regular)
        #expect(!policy.assess(history, now: Self.now).regular)
    }

    @Test func outboundContactsDoNotMakeARegular() {
        let outbound = (1...10).map {
            RecognitionPolicy.Past(
                arrivedAt: Self.now.addingTimeInterval(Double(-$0) * 86_400), inbound: false, repID: nil, handled: true)
        }
        #expect(!policy.assess(outbound, now: Self.now).regular)
    }

    @Test func bondNamesTheRepWhoHelpedMostAndLast() {
        let sarah = UUID()
        let tom = UUID()
        let maria = UUID()
        var history = Self.inbound(daysAgo: [10, 9, 8], rep: sarah) + Self.inbound(daysAgo: [7, 6], rep: tom)
        history += Self.inbound(daysAgo: [1], rep: maria)
        history.append(.init(arrivedAt: Self.now, inbound: true, repID: nil, handled: false))
        let bond = policy.bond(history)
        #expect(bond.mostHelpedBy == sarah)
        #expect(bond.contactsWithMostHelped == 3)
        #expect(bond.lastHelpedBy == maria)
        // On a tie, the rep who helped more recently wins.
        let tie = policy.bond(Self.inbound(daysAgo: [10, 9], rep: sarah) + Self.inbound(daysAgo: [5, 4], rep: tom))
        #expect(tie.mostHelpedBy == tom)
        #expect(policy.bond([]).mostHelpedBy == nil)
    }

    @Test func greetingRecognisesTheAbsenceWarmly() {
        let missed = RecognitionPolicy.Assessment(
            regular: true, usualGapDays: 1, daysSinceLastContact: 12, missedYou: true)
        #expect(
            policy.greeting(name: "John", assessment: missed, rep: "Sarah", program: "Ride Line")
                == "Hi John! We haven't heard from you in 12 days — it's good to hear from you.")
        let usual = RecognitionPolicy.Assessment(
            regular: true, usualGapDays: 1, daysSinceLastContact: 1, missedYou: false)
        #expect(
            policy.greeting(name: "John", assessment: usual, rep: "Sarah", program: "Ride Line")
                == "Hi John! This is Sarah — how can I help you today?")
        #expect(
            policy.greeting(name: nil, assessment: nil, rep: "Sarah", program: "Ride Line")
                == "Thank you for calling Ride Line, this is Sarah. May I have your name?")
    }

    @Test func settingsAreValidated() {
        var settings = RecognitionSettings.defaults
        settings.regularMinimumContacts = 0
        settings.greeting = "Hello {nmae}"
        #expect {
            try settings.validated()
        } throws: { error in
            Set((error as? ValidationFailure)?.fields ?? []) == ["regularMinimumContacts", "greeting"]
        }
        #expect(throws: Never.self) { try RecognitionSettings.defaults.validated() }
    }
}
