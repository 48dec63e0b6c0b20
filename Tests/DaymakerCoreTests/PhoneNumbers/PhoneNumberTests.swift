import Testing

@testable import DaymakerCore

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        // North America: every way people write the same number.
        ("(312) 555-0142", "US", "+13125550142"),
        ("312.555.0142", "US", "+13125550142"),
        ("312-555-0142", "US", "+13125550142"),
        ("3125550142", "US", "+13125550142"),
        ("+1 312 555 0142", "US", "+13125550142"),
        ("1-312-555-0142", "US", "+13125550142"),
        ("1 (312) 555-0142", "US", "+13125550142"),
        ("+1 (312) 555-0142", "US", "+13125550142"),
        ("  312 555 0142  ", "US", "+13125550142"),
        ("tel:+1-312-555-0142", "US", "+13125550142"),
        ("TEL:3125550142", "US", "+13125550142"),
        ("\t312 555 0142\r\n", "US", "+13125550142"),
        ("312\u{00A0}555\u{00A0}0142", "US", "+13125550142"),
        ("\u{00A0}+1 312 555 0142\u{00A0}", "US", "+13125550142"),
        ("312/555.0142", "us", "+13125550142"),
        ("011 44 20 7946 0958", "US", "+442079460958"),
        ("(416) 555-0100", "CA", "+14165550100"),
        ("(800) 555-1212", "US", "+18005551212"),
        // United Kingdom.
        ("+44 20 7946 0958", "GB", "+442079460958"),
        ("0044 20 7946 0958", "GB", "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 (0)20 7946 0958", "GB", "+442079460958"),
        ("44 20 7946 0958", "GB", "+442079460958"),
        ("07400 123456", "GB", "+447400123456"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        // Toll-free 1800 numbers in Australia and Ireland.
        ("1800 123 456", "AU", "+611800123456"),
        ("1800 20 20 20", "IE", "+3531800202020"),
        ("+353 1800 202020", "US", "+3531800202020"),
        // National prefixes that are not a lone 0, and numbers that keep their 0.
        ("06 6982 1234", "IT", "+390669821234"),
        ("+39 06 6982 1234", "US", "+390669821234"),
        ("011 15 2345-6789", "AR", "+5491123456789"),
        ("0 21 11 96123 4567", "BR", "+5511961234567"),
        ("8 (912) 345-67-89", "RU", "+79123456789"),
        // Elsewhere, and from abroad.
        ("01 23 45 67 89", "FR", "+33123456789"),
        ("030 1234567", "DE", "+49301234567"),
        ("(02) 9374 4000", "AU", "+61293744000"),
        ("0011 1 312 555 0142", "AU", "+13125550142"),
        ("+49 30 1234567", "US", "+49301234567"),
        ("+852 2123 4567", "US", "+85221234567"),
        ("+800 1234 5678", "US", "+80012345678"),
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
        ("312\t555 0142", "US", .invalidCharacters),
        ("312\u{2007}555 0142", "US", .invalidCharacters),
        ("３１２ 555 0142", "US", .invalidCharacters),
        ("call me maybe", "US", .invalidCharacters),
        ("312-CALL-NOW", "US", .invalidCharacters),
        ("312 555 0142 ext 12", "US", .invalidCharacters),
        ("12345", "US", .tooShort),
        ("312 555 01429", "US", .tooLong),
        ("+1 312 555 01429", "US", .tooLong),
        ("+44 20 7", "GB", .tooShort),
        // Valid-looking but not a number anywhere: area codes that do not exist, a local-only length.
        ("(555) 123-4567", "US", .invalidForCountry("US")),
        ("055 123 4567", "US", .invalidForCountry("US")),
        ("+1 155 123 4567", "US", .invalidForCountry("US")),
        ("(312) 155-0142", "US", .invalidForCountry("US")),
        ("555 1234", "US", .invalidForCountry("US")),
        ("07700 900123", "GB", .invalidForCountry("GB")),
        ("020 794", "GB", .invalidForCountry("GB")),
        // A European international prefix is not one from the United States.
        ("0044 20 7946 0958", "US", .tooLong),
        ("+0 555 123 4567", "US", .unknownCountryCode),
        ("+999 12", "US", .unknownCountryCode),
        ("+99912345678901234", "US", .unknownCountryCode),
        ("---", "US", .empty),
        ("3125550142", "XX", .unsupportedCountry("XX")),
        ("++13125550142", "US", .invalidCharacters),
        ("312+5550142", "US", .invalidCharacters),
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

/// `PhoneNumber` against libphonenumber: every region's example numbers (and invalid neighbours) as people and
/// carriers write them, with what libphonenumber makes of each (`LibphonenumberCases.swift`, generated).
@Suite struct LibphonenumberAgreementTests {
    @Test func agreesOnValidityAndE164ForEveryRegionsExamples() {
        let cases = libphonenumberCases.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(cases.count > 9_000)
        #expect(Set(cases.map { $0[1] }).count > 240)
        var disagreements: [String] = []
        for fields in cases {
            let (raw, country, expected) = (fields[0], fields[1], fields[2])
            let actual = (try? PhoneNumber(parsing: raw, defaultCountry: country))?.e164 ?? "invalid"
            if actual != expected {
                disagreements.append("\(raw) in \(country): \(actual), libphonenumber \(expected)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(cases.count): \(disagreements.prefix(40))")
    }
}
