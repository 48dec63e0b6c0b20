/// One region's numbering plan, as libphonenumber describes it (see `PhoneRegion+Metadata.swift`, generated).
///
/// The patterns are compiled once, the first time any number is read, and shared by every request after it. A
/// class: reading a number passes regions around, and a copy of all these fields was a retain and release each.
final class PhoneRegion: Sendable {
    /// ISO 3166-1 alpha-2 code, or "001" for a non-geographic plan such as +800.
    let id: String
    let callingCode: Int
    /// What is dialled before a country code from inside the region (`011`, `00`, `001[14-689]|…`).
    let internationalPrefix: DigitPattern?
    /// What may lead a national number inside the region (a trunk prefix, a carrier code), with
    /// `nationalPrefixTransformRule` rewriting what it captured.
    let nationalPrefixForParsing: DigitPattern?
    let nationalPrefixTransformRule: String?
    /// For a calling code shared by several regions, the digits that make a number this region's.
    let leadingDigits: DigitPattern?
    let general: Description
    /// In the order libphonenumber decides a number's type.
    let kinds: [(kind: Kind, description: Description)]

    init(
        id: String, callingCode: Int, internationalPrefix: DigitPattern?, nationalPrefixForParsing: DigitPattern?,
        nationalPrefixTransformRule: String?, leadingDigits: DigitPattern?, general: Description,
        kinds: [(kind: Kind, description: Description)]
    ) {
        self.id = id
        self.callingCode = callingCode
        self.internationalPrefix = internationalPrefix
        self.nationalPrefixForParsing = nationalPrefixForParsing
        self.nationalPrefixTransformRule = nationalPrefixTransformRule
        self.leadingDigits = leadingDigits
        self.general = general
        self.kinds = kinds
    }

    enum Kind: String, Sendable {
        case premiumRate, tollFree, sharedCost, voip, personal, pager, uan, voicemail, fixedLine, mobile
    }

    struct Description: Sendable {
        let pattern: DigitPattern
        /// Lengths of a whole national significant number of this kind.
        let lengths: Set<Int>
        /// Lengths that can only be dialled locally (without the area code): never a whole number.
        let localOnly: Set<Int>
        let shortest: Int
        let longest: Int

        /// libphonenumber's `_is_number_matching_desc`: a possible length, then the pattern.
        func matches(_ digits: [UInt8]) -> Bool {
            lengths.contains(digits.count) && pattern.matchesWhole(digits)
        }
    }

    /// libphonenumber's `_number_type_helper`: the kind of a national significant number, `nil` when invalid.
    func kind(of nsn: [UInt8]) -> Kind? {
        guard general.pattern.matchesWhole(nsn) else { return nil }
        return kinds.first { $0.description.matches(nsn) }?.kind
    }

    /// How a national significant number's length compares with the region's (`_test_number_length`).
    enum LengthCheck { case possible, possibleLocalOnly, tooShort, tooLong, invalidLength }

    func checkLength(_ nsn: [UInt8]) -> LengthCheck {
        let count = nsn.count
        if general.localOnly.contains(count) { return .possibleLocalOnly }
        if count < general.shortest { return .tooShort }
        if count > general.longest { return .tooLong }
        return general.lengths.contains(count) ? .possible : .invalidLength
    }
}

extension PhoneRegion {
    /// Every region, read from the generated metadata and compiled. Metadata that cannot be read is a defect in
    /// the generator: it stops here, and the test that reads every region's example numbers fails first.
    static let all: [PhoneRegion] = {
        do { return try Reader.regions(metadata) } catch { fatalError("PhoneRegion+Metadata.swift: \(error)") }
    }()

    private static let byID: [String: PhoneRegion] = Dictionary(
        all.filter { $0.id != "001" }.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

    /// The regions of each calling code, its main country first; non-geographic plans by their code.
    static let byCallingCode: [Int: [PhoneRegion]] = Dictionary(grouping: all, by: \.callingCode)

    /// The region an ISO 3166-1 alpha-2 code names, in either case.
    static func region(_ country: String) -> PhoneRegion? {
        byID[country] ?? byID[country.uppercased()]
    }

    /// Countries phone numbers can be read in (a program's country), sorted.
    static var countries: [String] { byID.keys.sorted() }

    /// The calling code that leads `digits` (codes are prefix-free: at most one does) and the digits after it.
    static func callingCode(leading digits: ArraySlice<UInt8>) -> (code: Int, rest: ArraySlice<UInt8>)? {
        guard let first = digits.first, first != 0 else { return nil }
        var code = 0
        for (length, digit) in digits.prefix(3).enumerated() {
            code = code * 10 + Int(digit)
            if byCallingCode[code] != nil { return (code, digits.dropFirst(length + 1)) }
        }
        return nil
    }

    /// The region a whole number belongs to (`region_code_for_number`: the only one of its calling code, else the
    /// first whose leading digits or patterns claim it), when the number is valid there (`is_valid_number`), with
    /// its kind there; each pattern is tried once.
    static func validRegion(callingCode: Int, nsn: [UInt8]) -> (region: PhoneRegion, kind: Kind)? {
        guard let regions = byCallingCode[callingCode] else { return nil }
        for region in regions {
            if regions.count > 1, let leading = region.leadingDigits, leading.prefixMatch(nsn) == nil { continue }
            let kind = region.kind(of: nsn)
            // The only region, or the one whose leading digits claim the number, decides; else the first that fits.
            if kind != nil || regions.count == 1 || region.leadingDigits != nil { return kind.map { (region, $0) } }
        }
        return nil
    }
}

extension PhoneRegion {
    /// Reads `metadata`'s tab-separated lines (see `PhoneRegion+Metadata.swift`).
    fileprivate enum Reader {
        struct Failure: Error, CustomStringConvertible {
            let line: String
            var description: String { "cannot read '\(line.prefix(60))'" }
        }

        static func regions(_ text: String) throws -> [PhoneRegion] {
            var regions: [PhoneRegion] = []
            var lines = text.split(separator: "\n")[...]
            while let line = lines.popFirst() {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 6, let code = Int(fields[1]), let general = lines.popFirst() else {
                    throw Failure(line: String(line))
                }
                var kinds: [(Kind, Description)] = []
                while let next = lines.first, let kind = Kind(rawValue: String(next.prefix { $0 != "\t" })) {
                    kinds.append((kind, try description(String(next))))
                    lines.removeFirst()
                }
                regions.append(
                    PhoneRegion(
                        id: fields[0], callingCode: code, internationalPrefix: try pattern(fields[2]),
                        nationalPrefixForParsing: try pattern(fields[3]),
                        nationalPrefixTransformRule: fields[4].isEmpty ? nil : fields[4],
                        leadingDigits: try pattern(fields[5]), general: try description(String(general)), kinds: kinds))
            }
            return regions
        }

        private static func pattern(_ field: String) throws -> DigitPattern? {
            field.isEmpty ? nil : try DigitPattern(field)
        }

        /// `name<TAB>pattern<TAB>lengths<TAB>local-only lengths`.
        private static func description(_ line: String) throws -> Description {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4 else { throw Failure(line: line) }
            let lengths = try numbers(fields[2], line: line)
            guard let shortest = lengths.min(), let longest = lengths.max() else { throw Failure(line: line) }
            return Description(
                pattern: try DigitPattern(String(fields[1])), lengths: Set(lengths),
                localOnly: Set(try numbers(fields[3], line: line)), shortest: shortest, longest: longest)
        }

        private static func numbers(_ field: Substring, line: String) throws -> [Int] {
            try field.split(separator: ",").map { value in
                guard let number = Int(value) else { throw Failure(line: line) }
                return number
            }
        }
    }
}
