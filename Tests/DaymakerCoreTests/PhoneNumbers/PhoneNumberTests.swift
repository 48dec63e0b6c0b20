import Testing

@testable import DaymakerCore

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        // North America: every way people write the same number.
        ("(555) 123-4567", "US", "+15551234567"),
        ("555.123.4567", "US", "+15551234567"),
        ("555-123-4567", "US", "+15551234567"),
        ("5551234567", "US", "+15551234567"),
        ("+1 555 123 4567", "US", "+15551234567"),
        ("1-555-123-4567", "US", "+15551234567"),
        ("1 (555) 123-4567", "US", "+15551234567"),
        ("+1 (555) 123-4567", "US", "+15551234567"),
        ("  555 123 4567  ", "US", "+15551234567"),
        ("tel:+1-555-123-4567", "US", "+15551234567"),
        ("TEL:5551234567", "US", "+15551234567"),
        ("\t555 123 4567\r\n", "US", "+15551234567"),
        ("555\u{00A0}123\u{00A0}4567", "US", "+15551234567"),
        ("\u{00A0}+1 555 123 4567\u{00A0}", "US", "+15551234567"),
        ("555/123.4567", "us", "+15551234567"),
        ("011 44 20 7946 0958", "US", "+442079460958"),
        ("(416) 555-0100", "CA", "+14165550100"),
        // United Kingdom.
        ("+44 20 7946 0958", "GB", "+442079460958"),
        ("0044 20 7946 0958", "GB", "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 (0)20 7946 0958", "GB", "+442079460958"),
        ("07700 900123", "GB", "+447700900123"),
        ("0044 20 7946 0958", "US", "+442079460958"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        // Elsewhere.
        ("01 23 45 67 89", "FR", "+33123456789"),
        ("030 1234567", "DE", "+49301234567"),
        ("(02) 9374 4000", "AU", "+61293744000"),
        ("0011 1 555 123 4567", "AU", "+15551234567"),
        ("+49 30 1234567", "US", "+49301234567"),
        ("+852 2123 4567", "US", "+85221234567"),
    ])
    func normalisesToE164(raw: String, country: String, expected: String) throws {
        #expect(try PhoneNumber(parsing: raw, defaultCountry: country).e164 == expected)
    }

    @Test(arguments: [
        ("", "US", PhoneNumberError.empty),
        ("   ", "US", .empty),
        ("anonymous", "US", .withheld),
        ("Withheld", "GB", .withheld),
        ("PRIVATE", "US", .withheld),
        ("Unknown", "US", .withheld),
        ("restricted", "US", .withheld),
        ("+266696687", "US", .withheld),
        ("+8656696", "US", .withheld),
        ("  +266696687  ", "US", .withheld),
        ("\t+266696687\n", "US", .withheld),
        (" Anonymous ", "US", .withheld),
        ("\n", "US", .empty),
        ("555\t123 4567", "US", .invalidCharacters),
        ("555\u{2007}123 4567", "US", .invalidCharacters),
        ("５５５ 123 4567", "US", .invalidCharacters),
        ("call me maybe", "US", .invalidCharacters),
        ("555-CALL-NOW", "US", .invalidCharacters),
        ("555 123 4567 ext 12", "US", .invalidCharacters),
        ("12345", "US", .tooShort),
        ("555 1234", "US", .tooShort),
        ("555 123 45678", "US", .tooLong),
        ("055 123 4567", "US", .invalidForCountry("US")),
        ("+1 155 123 4567", "US", .invalidForCountry("US")),
        ("+0 555 123 4567", "US", .unknownCountryCode),
        ("+999 12", "US", .tooShort),
        ("+99912345678901234", "US", .tooLong),
        ("020 794", "GB", .tooShort),
        ("---", "US", .empty),
        ("5551234567", "XX", .unsupportedCountry("XX")),
        ("++15551234567", "US", .invalidCharacters),
        ("555+1234567", "US", .invalidCharacters),
    ])
    func rejectsWhatIsNotANumber(raw: String, country: String, expected: PhoneNumberError) {
        #expect(throws: expected) { try PhoneNumber(parsing: raw, defaultCountry: country) }
    }

    @Test func storedValuesRoundTrip() throws {
        let number = try PhoneNumber(parsing: "(312) 555-0142", defaultCountry: "US")
        #expect(try PhoneNumber(e164: number.e164) == number)
        #expect(throws: PhoneNumberError.invalidCharacters) { try PhoneNumber(e164: "3125550142") }
    }

    @Test func readsNationallyInNorthAmericaAndInternationallyElsewhere() throws {
        let chicago = try PhoneNumber(parsing: "312.555.0142", defaultCountry: "US")
        #expect(chicago.formatted(for: "US") == "(312) 555-0142")
        #expect(chicago.formatted(for: "CA") == "(312) 555-0142")
        #expect(chicago.formatted(for: "GB") == "+13125550142")
        #expect(try PhoneNumber(parsing: "020 7946 0958", defaultCountry: "GB").formatted(for: "GB") == "+442079460958")
    }

    @Test func everyErrorExplainsItself() {
        let errors: [PhoneNumberError] = [
            .empty, .withheld, .invalidCharacters, .tooShort, .tooLong, .unknownCountryCode,
            .invalidForCountry("US"), .unsupportedCountry("XX"),
        ]
        #expect(Set(errors.map(\.description)).count == errors.count)
    }
}
