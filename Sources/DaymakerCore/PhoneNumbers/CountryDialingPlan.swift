/// How one country writes its telephone numbers: enough to normalise to E.164.
public struct CountryDialingPlan: Sendable {
    public let country: String
    public let callingCode: String
    /// The digit(s) dialled before a national number inside the country ("0" in the UK, "1" in North America).
    public let trunkPrefix: String?
    /// What is dialled inside the country before a country code ("00", "011", …), longest first.
    public let internationalPrefixes: [String]
    /// Allowed lengths of the national significant number.
    public let nationalLengths: ClosedRange<Int>

    public func validate(national: String) throws(PhoneNumberError) {
        if national.count < nationalLengths.lowerBound { throw .tooShort }
        if national.count > nationalLengths.upperBound { throw .tooLong }
        if national.hasPrefix("0") { throw .invalidForCountry(country) }
        if callingCode == "1", let area = national.first, area == "1" {
            throw .invalidForCountry(country)
        }
    }

    public static func plan(for country: String) -> CountryDialingPlan? {
        byCountry[country] ?? byCountry[country.uppercased()]
    }

    /// The plan whose calling code starts the digits (longest code wins); North America stands for `+1`.
    public static func plan(forInternational digits: String) -> CountryDialingPlan? {
        for length in (1...3).reversed() where digits.count > length {
            if let plan = byCallingCode[String(digits.prefix(length))] { return plan }
        }
        return nil
    }

    public static var supportedCountries: [String] { byCountry.keys.sorted() }

    private static let all: [CountryDialingPlan] = [
        .init(
            country: "US", callingCode: "1", trunkPrefix: "1", internationalPrefixes: ["011"], nationalLengths: 10...10),
        .init(
            country: "CA", callingCode: "1", trunkPrefix: "1", internationalPrefixes: ["011"], nationalLengths: 10...10),
        .init(
            country: "GB", callingCode: "44", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 9...10),
        .init(
            country: "IE", callingCode: "353", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 7...9),
        .init(
            country: "FR", callingCode: "33", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 9...9),
        .init(
            country: "DE", callingCode: "49", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 6...13),
        .init(
            country: "NL", callingCode: "31", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 9...9),
        .init(
            country: "BE", callingCode: "32", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 8...9),
        .init(
            country: "CH", callingCode: "41", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 9...9),
        .init(
            country: "AT", callingCode: "43", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 4...13),
        .init(
            country: "ES", callingCode: "34", trunkPrefix: nil, internationalPrefixes: ["00"], nationalLengths: 9...9),
        .init(
            country: "PT", callingCode: "351", trunkPrefix: nil, internationalPrefixes: ["00"], nationalLengths: 9...9),
        .init(
            country: "SE", callingCode: "46", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 7...9),
        .init(
            country: "NO", callingCode: "47", trunkPrefix: nil, internationalPrefixes: ["00"], nationalLengths: 8...8),
        .init(
            country: "DK", callingCode: "45", trunkPrefix: nil, internationalPrefixes: ["00"], nationalLengths: 8...8),
        .init(
            country: "FI", callingCode: "358", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 5...12),
        .init(
            country: "PL", callingCode: "48", trunkPrefix: nil, internationalPrefixes: ["00"], nationalLengths: 9...9),
        .init(
            country: "AU", callingCode: "61", trunkPrefix: "0", internationalPrefixes: ["0011"], nationalLengths: 9...9),
        .init(
            country: "NZ", callingCode: "64", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 8...10),
        .init(
            country: "MX", callingCode: "52", trunkPrefix: nil, internationalPrefixes: ["00"], nationalLengths: 10...10),
        .init(
            country: "BR", callingCode: "55", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 10...11),
        .init(
            country: "IN", callingCode: "91", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 10...10),
        .init(
            country: "ZA", callingCode: "27", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 9...9),
        .init(
            country: "PH", callingCode: "63", trunkPrefix: "0", internationalPrefixes: ["00"], nationalLengths: 10...10),
        .init(
            country: "JP", callingCode: "81", trunkPrefix: "0", internationalPrefixes: ["010"], nationalLengths: 9...10),
        .init(
            country: "SG", callingCode: "65", trunkPrefix: nil, internationalPrefixes: ["000"], nationalLengths: 8...8),
    ]

    private static let byCountry: [String: CountryDialingPlan] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.country, $0) })

    /// First plan per calling code (US stands for the whole North American plan).
    private static let byCallingCode: [String: CountryDialingPlan] = Dictionary(
        all.map { ($0.callingCode, $0) }, uniquingKeysWith: { first, _ in first })
}
