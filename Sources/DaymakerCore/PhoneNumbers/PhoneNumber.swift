/// A telephone number normalised to E.164 (`+15551234567`).
///
/// Every number that enters Daymaker — typed by a rep, sent by a PBX, imported from a CSV — goes through
/// `PhoneNumber(parsing:defaultCountry:)`. National formats are read with the program's default country;
/// withheld or malformed input is a typed error, never a guess.
public struct PhoneNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The number in E.164: a `+`, the country calling code and the national significant number.
    public let e164: String

    public var description: String { e164 }

    /// Parses a number as people and telephone systems write it.
    ///
    /// - Parameters:
    ///   - raw: `(555) 123-4567`, `+44 20 7946 0958`, `0044 20 7946 0958`, `tel:+15551234567`, …
    ///   - defaultCountry: ISO 3166-1 alpha-2 code used for numbers written without a country code.
    /// - Throws: `PhoneNumberError` when the input is withheld, empty or not a plausible number.
    public init(parsing raw: String, defaultCountry: String) throws(PhoneNumberError) {
        let (digits, hasPlus) = try Self.digits(raw)
        guard let country = CountryDialingPlan.plan(for: defaultCountry) else {
            throw .unsupportedCountry(defaultCountry)
        }
        if hasPlus {
            self.e164 = try Self.international(digits)
        } else if let prefix = country.internationalPrefixes.first(where: { digits.hasPrefix($0) })
            ?? (digits.hasPrefix("00") ? "00" : nil)
        {
            // No national number starts with "00", so it is read as an international prefix everywhere.
            self.e164 = try Self.international(String(digits.dropFirst(prefix.count)))
        } else {
            self.e164 = try Self.national(digits, in: country)
        }
    }

    /// The digits of a number as written, and whether a `+` led them.
    private static func digits(_ raw: String) throws(PhoneNumberError) -> (digits: String, hasPlus: Bool) {
        var text = Substring(raw)
        // Most numbers are digits and separators only (a PBX sends nothing else): nothing to trim but spaces,
        // nothing to lower-case, no word to look for. Anything else (letters, tabs, other spaces) is read
        // the long way.
        if raw.utf8.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: "+") || asciiSeparators.contains($0) }) {
            let utf8 = raw.utf8
            let start = utf8.firstIndex { $0 != UInt8(ascii: " ") } ?? utf8.endIndex
            let end = utf8.lastIndex { $0 != UInt8(ascii: " ") }.map { utf8.index(after: $0) } ?? start
            text = raw[start..<end]
            if text.isEmpty { throw .empty }
            if text.first == "+", withheldPlaceholders.contains(String(text)) { throw .withheld }
        } else {
            text = Substring(raw.trimmingCharacters(in: .whitespacesAndNewlines))
            let lowered = text.lowercased()
            if lowered.isEmpty { throw .empty }
            if withheldWords.contains(lowered) || withheldPlaceholders.contains(String(text)) { throw .withheld }
            if lowered.hasPrefix("tel:") { text = text.dropFirst(4) }
        }

        var digits = ""
        var hasPlus = false
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            if isDigit(byte) {
                digits.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte == UInt8(ascii: "+"), digits.isEmpty, !hasPlus {
                hasPlus = true
            } else if asciiSeparators.contains(byte) {
                continue
            } else if byte == 0xC2, bytes.next() == 0xA0 {
                continue  // a no-break space (U+00A0), as word processors write between groups
            } else {
                throw .invalidCharacters
            }
        }
        if digits.isEmpty { throw .empty }
        return (digits, hasPlus)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Accepts a value that is already E.164 (as stored), validating its shape.
    public init(e164: String) throws(PhoneNumberError) {
        guard e164.hasPrefix("+") else { throw .invalidCharacters }
        try self.init(parsing: e164, defaultCountry: "US")
        guard self.e164 == e164 else { throw .invalidCharacters }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = try PhoneNumber(e164: try container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(e164)
    }

    /// How a rep in `country` reads the number: `(312) 555-0142` for North American numbers in North America,
    /// E.164 otherwise.
    public func formatted(for country: String) -> String {
        let digits = Array(e164.dropFirst())
        if digits.count == 11, digits[0] == "1", CountryDialingPlan.plan(for: country)?.callingCode == "1" {
            let n = String(digits.dropFirst())
            let area = n.prefix(3)
            let exchange = n.dropFirst(3).prefix(3)
            let line = n.suffix(4)
            return "(\(area)) \(exchange)-\(line)"
        }
        return e164
    }

    private static func national(_ digits: String, in country: CountryDialingPlan) throws(PhoneNumberError) -> String {
        var national = digits
        if let trunk = country.trunkPrefix, national.hasPrefix(trunk),
            country.nationalLengths.contains(national.count - trunk.count)
        {
            national.removeFirst(trunk.count)
        }
        try country.validate(national: national)
        return "+" + country.callingCode + national
    }

    private static func international(_ digits: String) throws(PhoneNumberError) -> String {
        guard let first = digits.first, first != "0" else { throw .unknownCountryCode }
        if let country = CountryDialingPlan.plan(forInternational: digits) {
            var national = String(digits.dropFirst(country.callingCode.count))
            // "+44 (0)20 …": a trunk prefix written after the country code.
            if let trunk = country.trunkPrefix, national.hasPrefix(trunk),
                !country.nationalLengths.contains(national.count),
                country.nationalLengths.contains(national.count - trunk.count)
            {
                national.removeFirst(trunk.count)
            }
            try country.validate(national: national)
            return "+" + country.callingCode + national
        }
        guard digits.count >= 8 else { throw .tooShort }
        guard digits.count <= 15 else { throw .tooLong }
        return "+" + digits
    }

    /// What may stand between digits: these, and a no-break space.
    private static let asciiSeparators: [UInt8] = [" ", "-", ".", "(", ")", "/"].map { UInt8(ascii: $0) }

    private static let withheldWords: Set<String> = [
        "anonymous", "withheld", "private", "restricted", "unknown", "unavailable", "blocked",
        "no caller id", "unknown caller", "private number", "number withheld",
    ]

    /// Keypad spellings that Twilio and some carriers send instead of a number
    /// (ANONYMOUS, UNKNOWN, RESTRICTED, BLOCKED, UNAVAILABLE).
    private static let withheldPlaceholders: Set<String> = [
        "+266696687", "+8656696", "+7378742833", "+2562533", "+86282452253",
    ]
}

/// Why a phone number could not be read.
public enum PhoneNumberError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case withheld
    case invalidCharacters
    case tooShort
    case tooLong
    case unknownCountryCode
    case invalidForCountry(String)
    case unsupportedCountry(String)

    public var description: String {
        switch self {
        case .empty: "no phone number was given"
        case .withheld: "the number is withheld or anonymous"
        case .invalidCharacters: "a phone number may contain only digits, spaces, + - . ( ) /"
        case .tooShort: "the number is too short"
        case .tooLong: "the number is too long"
        case .unknownCountryCode: "the number does not start with a valid country code"
        case .invalidForCountry(let country): "the number is not a valid \(country) number"
        case .unsupportedCountry(let country): "'\(country)' is not a supported country for phone numbers"
        }
    }
}
