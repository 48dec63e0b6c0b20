/// A telephone number normalised to E.164 (`+13125550142`), as libphonenumber reads and validates it.
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
    ///   - raw: `(312) 555-0142`, `+44 20 7946 0958`, `0044 20 7946 0958`, `tel:+13125550142`, …
    ///   - defaultCountry: ISO 3166-1 alpha-2 code used for numbers written without a country code.
    /// - Throws: `PhoneNumberError` when the input is withheld, empty or not a plausible number.
    public init(parsing raw: String, defaultCountry: String) throws(PhoneNumberError) {
        let (digits, hasPlus) = try Self.digits(raw)
        guard let home = PhoneRegion.region(defaultCountry) else { throw .unsupportedCountry(defaultCountry) }
        self.e164 = try Self.read(digits, plus: hasPlus, in: home)
    }

    /// libphonenumber's `parse` followed by `is_valid_number`, on digits 0–9.
    private static func read(_ digits: [UInt8], plus: Bool, in home: PhoneRegion) throws(PhoneNumberError) -> String {
        guard digits.count >= minimumNSN else { throw .tooShort }
        var callingCode: Int
        var nsn: [UInt8]
        if let (code, rest) = try countryCode(digits, plus: plus, in: home) {
            (callingCode, nsn) = (code, Array(rest))
        } else {
            (callingCode, nsn) = (home.callingCode, digits)
        }
        guard nsn.count >= minimumNSN else { throw .tooShort }
        let plan =
            callingCode == home.callingCode ? home : PhoneRegion.byCallingCode[callingCode]?.first ?? home
        let stripped = strippingNationalPrefix(nsn, in: plan)
        switch plan.checkLength(stripped) {
        case .tooShort, .possibleLocalOnly, .invalidLength: break
        case .possible, .tooLong: nsn = stripped
        }
        guard nsn.count <= maximumNSN else { throw .tooLong }
        guard PhoneRegion.validRegion(callingCode: callingCode, nsn: nsn) != nil else {
            switch plan.checkLength(nsn) {
            case .tooShort: throw .tooShort
            case .tooLong: throw .tooLong
            default: throw .invalidForCountry(plan.id)
            }
        }
        return "+\(callingCode)" + String(decoding: nsn.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
    }

    /// libphonenumber reads no national significant number shorter or longer than these.
    private static let minimumNSN = 2
    private static let maximumNSN = 17

    /// The calling code a number is written with (after `+`, after the home region's international prefix, or
    /// the home region's own code written without either) and the digits after it; `nil` for a national number.
    private static func countryCode(
        _ digits: [UInt8], plus: Bool, in home: PhoneRegion
    ) throws(PhoneNumberError) -> (Int, ArraySlice<UInt8>)? {
        if plus {
            guard digits.count > minimumNSN else { throw .tooShort }
            if let found = PhoneRegion.callingCode(leading: digits[...]) { return found }
            // "+011 44 …": libphonenumber reads the digits again as if no "+" led them.
            guard let found = try countryCode(digits, plus: false, in: home) else { throw .unknownCountryCode }
            return found
        }
        if let idd = home.internationalPrefix?.prefixMatch(digits), digits.dropFirst(idd.end).first != 0 {
            let rest = digits[idd.end...]
            guard rest.count > minimumNSN else { throw .tooShort }
            guard let found = PhoneRegion.callingCode(leading: rest) else { throw .unknownCountryCode }
            return found
        }
        // "44 20 7946 0958" in the UK: the country's own code, written without "+" or "00".
        let code = String(home.callingCode).utf8.map { $0 - UInt8(ascii: "0") }
        guard digits.starts(with: code) else { return nil }
        let rest = strippingNationalPrefix(Array(digits.dropFirst(code.count)), in: home)
        let general = home.general.pattern
        if (!general.matchesWhole(digits) && general.matchesWhole(rest)) || home.checkLength(digits) == .tooLong {
            return (home.callingCode, rest[...])
        }
        return nil
    }

    /// libphonenumber's `_maybe_strip_national_prefix_carrier_code`: the number without the trunk prefix or
    /// carrier code that may lead it, rewritten by the region's transform rule; unchanged when stripping would
    /// turn a number that fits the region's pattern into one that does not.
    private static func strippingNationalPrefix(_ nsn: [UInt8], in region: PhoneRegion) -> [UInt8] {
        guard !nsn.isEmpty, let pattern = region.nationalPrefixForParsing, let match = pattern.prefixMatch(nsn)
        else { return nsn }
        let general = region.general.pattern
        let viable = general.matchesWhole(nsn)
        let result: [UInt8]
        if let rule = region.nationalPrefixTransformRule, let last = match.groups.last, last != nil {
            result = transformed(nsn, by: rule, groups: match.groups) + nsn[match.end...]
        } else {
            result = Array(nsn[match.end...])
        }
        return viable && !general.matchesWhole(result) ? nsn : result
    }

    /// A transform rule such as `9$1` with its group references filled in.
    private static func transformed(_ nsn: [UInt8], by rule: String, groups: [Range<Int>?]) -> [UInt8] {
        var result: [UInt8] = []
        var reference = false
        for byte in rule.utf8 {
            if byte == UInt8(ascii: "$") {
                reference = true
            } else if reference {
                reference = false
                let group = Int(byte - UInt8(ascii: "1"))
                if group < groups.count, let range = groups[group] { result += nsn[range] }
            } else {
                result.append(byte - UInt8(ascii: "0"))
            }
        }
        return result
    }

    /// Compiles every region's patterns now (about 20 ms), so that the first caller does not wait for it.
    public static func loadMetadata() { _ = PhoneRegion.all }

    /// Whether numbers can be read for a program in `country` (any ISO 3166-1 alpha-2 code libphonenumber knows).
    public static func reads(country: String) -> Bool { PhoneRegion.region(country) != nil }

    /// The digits of a number as written, and whether a `+` led them.
    private static func digits(_ raw: String) throws(PhoneNumberError) -> (digits: [UInt8], hasPlus: Bool) {
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

        var digits: [UInt8] = []
        var hasPlus = false
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            if isDigit(byte) {
                digits.append(byte - UInt8(ascii: "0"))
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
        if digits.count == 11, digits[0] == "1", PhoneRegion.region(country)?.callingCode == 1 {
            let n = String(digits.dropFirst())
            let area = n.prefix(3)
            let exchange = n.dropFirst(3).prefix(3)
            let line = n.suffix(4)
            return "(\(area)) \(exchange)-\(line)"
        }
        return e164
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
