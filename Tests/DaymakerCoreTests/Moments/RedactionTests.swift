import Foundation
import Testing

@testable import DaymakerCore

@Suite struct RedactionTests {
    /// John Smith (who likes to be called Johnny), customer C-10042 and 884211 (an older number) in a US program.
    static let john = Redaction(
        names: ["John Smith", "Johnny"], customerNumbers: ["C-10042", "884211"], country: "US", year: 2026)

    @Test(arguments: [
        // Names, wherever they stand: first, after a greeting, after a title, possessive, in capitals, lower case,
        // across a line break, the preferred name; other words that merely begin with them stay.
        ("John called back to say thanks.", "J. called back to say thanks."),
        ("Hi John! Where have you been? I missed you!", "Hi J.! Where have you been? I missed you!"),
        ("Spoke with Mr Smith about his ride.", "Spoke with Mr S. about his ride."),
        ("John Smith's wife passed away last month.", "J. S.'s wife passed away last month."),
        ("JOHN SMITH asked for Maria again", "J. S. asked for Maria again"),
        ("thanks, john smith.", "thanks, J. S."),
        ("Thanked John\nSmith twice", "Thanked J. S. twice"),
        ("Johnny was in tears, then laughed.", "J. was in tears, then laughed."),
        (
            "Johnson & Johnston are other people; so is Smithers.",
            "Johnson & Johnston are other people; so is Smithers."
        ),
        // Every way the phone-number type reads a number, inside a sentence.
        ("Call him on (312) 555-0142 tomorrow.", "Call him on [phone] tomorrow."),
        ("Call him on 312.555.0142 tomorrow.", "Call him on [phone] tomorrow."),
        ("Call him on 312-555-0142 tomorrow.", "Call him on [phone] tomorrow."),
        ("Call him on 3125550142 tomorrow.", "Call him on [phone] tomorrow."),
        ("Call him on +1 312 555 0142 tomorrow.", "Call him on [phone] tomorrow."),
        ("Call him on 1-312-555-0142 tomorrow.", "Call him on [phone] tomorrow."),
        ("Call him on 1 (312) 555-0142 tomorrow.", "Call him on [phone] tomorrow."),
        ("Call him on +1 (312) 555-0142 tomorrow.", "Call him on [phone] tomorrow."),
        ("Call him on tel:+1-312-555-0142 tomorrow.", "Call him on [phone] tomorrow."),
        ("Call him on 312/555.0142 tomorrow.", "Call him on [phone] tomorrow."),
        ("Call him on 312\u{00A0}555\u{00A0}0142 tomorrow.", "Call him on [phone] tomorrow."),
        ("His daughter: 011 44 20 7946 0958.", "His daughter: [phone]."),
        ("His daughter: +44 20 7946 0958.", "His daughter: [phone]."),
        ("His daughter: +44 (0)20 7946 0958.", "His daughter: [phone]."),
        ("Office (800) 555-1212 or (555) 123-4567", "Office [phone] or [phone]"),
        // Numbers that are not phones stay.
        ("Order 4521 shipped after 45 minutes at 10:30.", "Order 4521 shipped after 45 minutes at 10:30."),
        // Email addresses.
        ("Wrote to john.smith+rides@example.co.uk today.", "Wrote to [email] today."),
        ("Reply to J_S@mail.example.com", "Reply to [email]"),
        // Customer numbers.
        ("Customer C-10042 asked for the usual.", "Customer [customer number] asked for the usual."),
        (
            "His old number c-10042 and 884211 both work.",
            "His old number [customer number] and [customer number] both work."
        ),
        // Street addresses.
        ("Picked up at 742 Evergreen Terrace at noon.", "Picked up at [address] at noon."),
        ("Lives at 221B Baker Street with his dog.", "Lives at [address] with his dog."),
        ("Drop-off: 1600 Pennsylvania Ave NW, please.", "Drop-off: [address], please."),
        ("Moved to 55 West 5th Avenue, Apt 4B last week.", "Moved to [address] last week."),
        ("Lives at 10 Downing St. in London.", "Lives at [address] in London."),
        ("I waited 5 minutes down the road.", "I waited 5 minutes down the road."),
        // Dates of birth; a recent date (a booking) stays.
        ("Born 1961-03-12, he said.", "Born [date of birth], he said."),
        ("DOB 12/03/1961 confirmed.", "DOB [date of birth] confirmed."),
        ("Birthday March 12th, 1961!", "Birthday [date of birth]!"),
        ("Born 12 March 1961 in Leeds.", "Born [date of birth] in Leeds."),
        ("Ride booked for 2026-12-06 and 12/07/2026.", "Ride booked for 2026-12-06 and 12/07/2026."),
        // All at once.
        (
            "John Smith (C-10042, born 04/07/1950) called from 312-555-0142 about 742 Evergreen Terrace; "
                + "Maria emailed jsmith@example.com and Johnny said she made his day.",
            "J. S. ([customer number], born [date of birth]) called from [phone] about [address]; "
                + "Maria emailed [email] and J. said she made his day."
        ),
    ])
    func redactsWhatIdentifiesTheCustomer(original: String, redacted: String) {
        #expect(Self.john.redact(original) == redacted)
    }

    @Test func namesMatchWithoutTheirAccents() {
        let zoe = Redaction(names: ["Zoë Müller"], customerNumbers: [], country: "GB", year: 2026)
        #expect(zoe.redact("Zoe Muller rang, then Zoë rang again.") == "Z. M. rang, then Z. rang again.")
        #expect(zoe.redact("Mrs Müller: 020 7946 0958") == "Mrs M.: [phone]")
    }

    @Test func aTextWithNothingToHideIsUnchanged() {
        let text = "She stayed on the line until the ride arrived, and made sure the driver knew about the ramp."
        #expect(Self.john.redact(text) == text)
    }
}

@Suite struct DigestWeekTests {
    @Test func readsISOWeeksAndRefusesTheRest() throws {
        let week = try #require(DigestWeek("2026-W49"))
        #expect(week.start == Date(timeIntervalSince1970: 1_795_996_800))  // Monday 2026-11-30 00:00 UTC
        #expect(week.end.timeIntervalSince(week.start) == 7 * 86_400)
        #expect(week.description == "2026-W49")
        #expect(DigestWeek(containing: Date(timeIntervalSince1970: 1_795_996_800 - 1)).description == "2026-W48")
        // Week 53 only in the years that have one.
        #expect(DigestWeek("2025-W53") == nil)
        #expect(DigestWeek("2026-W53")?.description == "2026-W53")
        // What a reader asks for: nothing is this week, a week the year lacks is refused by name.
        #expect(try DigestWeek.requested(nil, now: week.start) == week)
        #expect(throws: ValidationFailure.self) { try DigestWeek.requested("2025-W53", now: week.start) }
        for bad in ["2026-49", "2026-W0", "2026-W1", "26-W10", "2026-W54", "2026-W1x", ""] {
            #expect(DigestWeek(bad) == nil)
        }
    }
}
