import DaymakerCore
import Foundation
import Testing

/// Every contact metric's definition, on contacts whose numbers are worked out by hand.
@Suite struct ContactCountersTests {
    static let t0 = Date(timeIntervalSince1970: 1_796_000_000)
    static let rules = InsightRules(targetAnswer: 20, shortAbandon: 5, abandonsBeforeTarget: .ignored)

    static func contact(
        inbound: Bool = true, answeredAfter: Double? = nil, endedAfter: Double? = nil, wrappedAfter: Double? = nil,
        abandoned: Bool = false, wellbeing: String? = nil, resolved: Bool? = nil
    ) -> CountedContact {
        CountedContact(
            inbound: inbound, arrivedAt: t0, answeredAt: answeredAfter.map { t0.addingTimeInterval($0) },
            endedAt: endedAfter.map { t0.addingTimeInterval($0) },
            wrappedAt: wrappedAfter.map { t0.addingTimeInterval($0) }, abandoned: abandoned, wellbeing: wellbeing,
            resolvedFirstTime: resolved)
    }

    /// a: answered in 10 s, talked 100 s, wrapped up in 30 s, resolved, heated; b: answered in 30 s, talked 200 s,
    /// came back; c: abandoned at 3 s (short); d: abandoned at 15 s (before the target); e: abandoned at 60 s;
    /// f: an outbound call, talked 50 s; g: failed, abusive.
    static let day: [CountedContact] = [
        contact(answeredAfter: 10, endedAfter: 110, wrappedAfter: 140, wellbeing: "heated", resolved: true),
        contact(answeredAfter: 30, endedAfter: 230, resolved: false),
        contact(endedAfter: 3, abandoned: true),
        contact(endedAfter: 15, abandoned: true),
        contact(endedAfter: 60, abandoned: true),
        contact(inbound: false, answeredAfter: 5, endedAfter: 55),
        contact(wellbeing: "abusive"),
    ]

    static func counted(_ contacts: [CountedContact]) -> ContactCounters {
        var counters = ContactCounters()
        for contact in contacts { counters.add(contact, rules: rules) }
        return counters
    }

    @Test func eachMetricIsItsDefinition() throws {
        let c = Self.counted(Self.day)
        #expect(c.contacts == 7)
        #expect((c.answered, c.answeredInTarget) == (2, 1))
        #expect((c.abandoned, c.abandonedInTarget, c.shortAbandoned) == (2, 1, 1))
        #expect(c.offered == 4)
        #expect(c.averageSpeedOfAnswer == 20)
        #expect(c.serviceLevel(.ignored) == 1.0 / 3)
        #expect(c.serviceLevel(.against) == 0.25)
        #expect(c.serviceLevel(.favour) == 0.5)
        #expect(c.abandonmentRate == 0.5)
        #expect(c.handled == 3)
        #expect(c.averageHandleTime == (100 + 200 + 50 + 30) / 3.0)
        #expect(c.firstContactResolution == 0.5)
        #expect((c.heated, c.abusive) == (1, 1))
    }

    @Test func nothingToMeasureIsNoNumber() {
        let c = Self.counted([Self.contact(endedAfter: 2, abandoned: true)])
        #expect(c.offered == 0 && c.shortAbandoned == 1)
        #expect(c.averageSpeedOfAnswer == nil && c.serviceLevel(.ignored) == nil && c.abandonmentRate == nil)
        #expect(c.averageHandleTime == nil && c.firstContactResolution == nil)
    }

    @Test func countsAddUpWhicheverWayTheyAreSplit() {
        let whole = Self.counted(Self.day)
        for split in 0...Self.day.count {
            #expect(Self.counted(Array(Self.day[..<split])) + Self.counted(Array(Self.day[split...])) == whole)
        }
    }

    @Test(arguments: [
        // The same customer back about the same reason (any case, accents, punctuation) within 7 days: not resolved.
        ("Ride to dialysis", "ride to DIALYSIS!", 3.0, false),
        ("Café booking", "cafe   booking", 6.9, false),
        ("Ride to dialysis", "Ride to dialysis", 7.01, true),
        ("Ride to dialysis", "Lost property", 1.0, true),
        ("Ride to dialysis", "Ride to dialysis", -1.0, true),
    ])
    func aRepeatWithinSevenDaysAboutTheSameReasonIsNotFirstContactResolution(
        first: String, again: String, daysLater: Double, resolved: Bool
    ) {
        let later = [
            (arrivedAt: Self.t0.addingTimeInterval(daysLater * 86_400), reasonKey: InsightRules.reasonKey(again))
        ]
        #expect(
            InsightRules.resolvedFirstTime(arrivedAt: Self.t0, reasonKey: InsightRules.reasonKey(first), later: later)
                == resolved)
        var keys = ReasonKeys()
        for _ in 0..<2 {
            #expect(
                InsightRules.resolvedFirstTime(arrivedAt: Self.t0, reasonKey: keys.key(first), later: later) == resolved
            )
            #expect(keys.key(again) == InsightRules.reasonKey(again))
        }
    }
}
