import Foundation
import Testing

@testable import DaymakerCore

@Suite struct CampaignRulesTests {
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let london = TimeZone(identifier: "Europe/London")!

    static func at(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func theWindowIsTheCustomersOwnHours() throws {
        let window = try CallingWindow(opens: "09:00", closes: "20:00", days: [1, 2, 3, 4, 5])
        // Wednesday 2 December 2026, 14:30 UTC: 09:30 in New York, 14:30 in London.
        let wednesday = Self.at("2026-12-02T13:30:00Z")
        #expect(window.isOpen(at: wednesday, in: Self.london))
        #expect(!window.isOpen(at: wednesday, in: Self.newYork))
        #expect(window.nextOpening(atOrAfter: wednesday, in: Self.newYork) == Self.at("2026-12-02T14:00:00Z"))
        #expect(window.nextOpening(atOrAfter: wednesday, in: Self.london) == wednesday)
        // Friday 20:00 in London is closed; the next opening is Monday 09:00 unless weekends are allowed.
        let fridayEvening = Self.at("2026-12-04T20:00:00Z")
        #expect(!window.isOpen(at: fridayEvening, in: Self.london))
        #expect(window.nextOpening(atOrAfter: fridayEvening, in: Self.london) == Self.at("2026-12-07T09:00:00Z"))
        let everyDay = try CallingWindow(opens: "10:00", closes: "16:00", days: [6, 7, 1, 2, 3, 4, 5])
        #expect(everyDay.nextOpening(atOrAfter: fridayEvening, in: Self.london) == Self.at("2026-12-05T10:00:00Z"))
        #expect(everyDay.days == [1, 2, 3, 4, 5, 6, 7])
    }

    @Test func aDaylightSavingChangeMovesTheWindowWithTheClock() throws {
        let window = try CallingWindow(opens: "09:00", closes: "20:00", days: [1, 2, 3, 4, 5, 6, 7])
        // New York leaves daylight saving on Sunday 1 November 2026 at 06:00 UTC: 13:30 UTC is 09:30 on the
        // Saturday (EDT) and 08:30 on the Sunday (EST).
        #expect(window.isOpen(at: Self.at("2026-10-31T13:30:00Z"), in: Self.newYork))
        #expect(!window.isOpen(at: Self.at("2026-11-01T13:30:00Z"), in: Self.newYork))
        #expect(
            window.nextOpening(atOrAfter: Self.at("2026-11-01T13:30:00Z"), in: Self.newYork)
                == Self.at("2026-11-01T14:00:00Z"))
        // Saturday 20:00 EDT is 00:00 UTC; 23:30 UTC that Saturday is still open (19:30 EDT).
        #expect(window.isOpen(at: Self.at("2026-10-31T23:30:00Z"), in: Self.newYork))
        #expect(!window.isOpen(at: Self.at("2026-11-01T00:30:00Z"), in: Self.newYork))
        // And it enters daylight saving on Sunday 8 March 2026: 09:00 is 14:00 UTC on the 7th, 13:00 UTC on the 8th
        // (20:30 on the Saturday is 01:30 UTC).
        #expect(
            window.nextOpening(atOrAfter: Self.at("2026-03-08T01:30:00Z"), in: Self.newYork)
                == Self.at("2026-03-08T13:00:00Z"))
        #expect(!window.isOpen(at: Self.at("2026-03-08T12:30:00Z"), in: Self.newYork))
    }

    @Test(
        arguments: [
            ("9:00", "20:00", [1], "callingHours.opens"),
            ("09:00", "08:00", [1], "callingHours.closes"),
            ("09:00", "24:01", [1], "callingHours.closes"),
            ("09:00", "20:00", [], "callingHours.days"),
            ("09:00", "20:00", [0, 8], "callingHours.days"),
        ])
    func aWindowThatCannotBeKeptIsRefused(opens: String, closes: String, days: [Int], field: String) {
        let error = #expect(throws: ValidationFailure.self) {
            try CallingWindow(opens: opens, closes: closes, days: days)
        }
        #expect(error?.fields == [field])
    }

    @Test func theOpenerSpeaksAsTheRepToTheCustomer() throws {
        let script = OpenerScript.standard
        let friday = Self.at("2026-12-04T15:00:00Z")
        let text = script.filled(
            rep: "Peter", program: "Ride Assist", customer: "John", called: Self.at("2026-12-03T22:00:00Z"),
            now: friday, zone: Self.london)
        #expect(
            text
                == "Hi John, my name is Peter. I'm from Ride Assist. You called us yesterday and unfortunately, because "
                + "of a systems outage, we couldn't take your call. Is there anything I can help you with now?")
        #expect(
            script.filled(rep: "Peter", program: "Ride", customer: nil, called: friday, now: friday, zone: .gmt)
                .hasPrefix("Hi there, my name is Peter."))
        #expect(
            throws: ValidationFailure(
                field: "opener", "{title} is not a placeholder; use {rep}, {program}, {when}, {customer}")
        ) {
            try OpenerScript("Hi, I am {title} {rep}")
        }
        #expect(throws: ValidationFailure(field: "opener", "has a '{' without its '}'")) { try OpenerScript("Hi {rep") }
        #expect(try OpenerScript("Hello {customer}, {rep} here.").text == "Hello {customer}, {rep} here.")
    }

    @Test func whenTheyCalledIsSaidInTheirOwnDays() {
        let now = Self.at("2026-12-04T15:00:00Z")  // Friday
        // 03:30 UTC on Friday is still Thursday evening in New York.
        #expect(OpenerScript.when(Self.at("2026-12-04T03:30:00Z"), now: now, zone: Self.london) == "earlier today")
        #expect(OpenerScript.when(Self.at("2026-12-04T03:30:00Z"), now: now, zone: Self.newYork) == "yesterday")
        #expect(OpenerScript.when(Self.at("2026-11-30T12:00:00Z"), now: now, zone: Self.london) == "on Monday")
        #expect(OpenerScript.when(Self.at("2026-11-20T12:00:00Z"), now: now, zone: Self.london) == "on 20 November")
        #expect(
            OpenerScript.when(Self.at("2025-12-20T12:00:00Z"), now: now, zone: Self.london) == "on 20 December 2025")
    }

    @Test func retriesAreSpacedAndCapped() {
        let policy = RetryPolicy(maxAttempts: 3, spacingMinutes: 60)
        let now = Self.at("2026-12-04T15:00:00Z")
        #expect(policy.nextCall(after: .noAnswer, attempts: 1, now: now, callLaterAt: nil) == now + 3600)
        #expect(policy.nextCall(after: .busy, attempts: 2, now: now, callLaterAt: nil) == now + 3600)
        #expect(policy.nextCall(after: .voicemail, attempts: 3, now: now, callLaterAt: nil) == nil)
        #expect(policy.nextCall(after: .callLater, attempts: 5, now: now, callLaterAt: now + 7200) == now + 7200)
        for finished in [CallbackOutcome.helped, .nothingNeeded, .wrongNumber, .doNotCall] {
            #expect(policy.nextCall(after: finished, attempts: 1, now: now, callLaterAt: nil) == nil)
        }
        #expect(throws: ValidationFailure.self) { try RetryPolicy(maxAttempts: 0, spacingMinutes: 1).validate() }
    }

    /// What libphonenumber's `time_zones_for_number` names for each (phonenumbers 9.0.43), nil for several or none.
    @Test(
        arguments: [
            ("+12125550123", "America/New_York"), ("+13125550123", "America/Chicago"),
            ("+442079460000", "Europe/London"), ("+61298765432", "Australia/Sydney"),
            ("+4915123456789", "Europe/Berlin"),  // a mobile, by its country's one zone
            ("+5511987654321", "America/Sao_Paulo"),  // a mobile where mobiles are geographic
            ("+61412345678", nil),  // an Australian mobile: eight zones
            ("+12085550123", nil),  // Idaho's 208: two zones
            ("+447700900123", nil),  // not a valid number
            ("12125550123", nil),
        ] as [(String, String?)])
    func aNumbersZoneIsLibphonenumbersWhenItNamesOne(number: String, zone: String?) {
        #expect(PhoneZones.zone(for: number) == zone)
    }
}
