import Foundation

/// What a moment's words may show outside its own program: moments are shared with other programs' managers and
/// taught in training, and the customer in them never agreed to that. The customer's names are reduced to
/// initials ("Mrs Alvarez" → "Mrs A."); phone numbers, email addresses, customer numbers, street addresses and
/// dates of birth are replaced by their kind, as Amazon Connect's Contact Lens redacts transcripts. The rep's name
/// stays: the moment is theirs. Redaction errs on the side of hiding: a ten-digit reference reads as `[phone]`.
public struct Redaction: Sendable {
    public static let phone = "[phone]"
    public static let email = "[email]"
    public static let customerNumber = "[customer number]"
    public static let address = "[address]"
    public static let dateOfBirth = "[date of birth]"

    /// The names the contact's customers go by (full and preferred names).
    public var names: [String]
    /// Their customer numbers in the program.
    public var customerNumbers: [String]
    /// The program's country, for numbers written without their country code.
    public var country: String
    /// The year the text is redacted in: a full date twelve or more years before it is taken for a date of birth
    /// (younger people do not call contact centers about themselves; a recent date is a booking, not a birthday).
    public var year: Int

    public init(names: [String], customerNumbers: [String], country: String, year: Int) {
        self.names = names
        self.customerNumbers = customerNumbers
        self.country = country
        self.year = year
    }

    public func redact(_ text: String) -> String {
        var text = text.replacing(Self.emailPattern, with: Self.email)
        text = text.replacing(Self.datePattern) { match -> String in
            guard let year = Int(match.output.isoYear ?? match.output.year ?? match.output.namedYear ?? ""),
                year <= self.year - 12
            else { return String(match.output.0) }
            return Self.dateOfBirth
        }
        text = text.replacing(Self.addressPattern, with: Self.address)
        for number in customerNumbers.filter({ !$0.isEmpty }).sorted(by: { $0.count > $1.count }) {
            text = Self.replacingWords(number, in: text) { _ in Self.customerNumber }
        }
        text = text.replacing(Self.phonePattern) { (match: Regex<Substring>.Match) -> String in
            let written = String(match.output)
            let digits = written.reduce(0) { $0 + ($1.isASCII && $1.isNumber ? 1 : 0) }
            if digits >= 10 || (try? PhoneNumber(parsing: written, defaultCountry: country)) != nil {
                return Self.phone
            }
            return written
        }
        for name in Self.phrases(of: names) {
            text = Self.replacingWords(name, in: text, with: Self.initials)
        }
        return text
    }

    /// Whole names first ("John Smith"), then each part on its own ("John", "Smith"), longest first, so a name is
    /// never half-replaced by a shorter one.
    private static func phrases(of names: [String]) -> [String] {
        var phrases = Set<String>()
        for name in names {
            let parts = name.split { !$0.isLetter && $0 != "'" && $0 != "’" && $0 != "-" }.map(String.init)
            if parts.count > 1 { phrases.insert(parts.joined(separator: " ")) }
            for part in parts where part.count > 1 { phrases.insert(part) }
        }
        return phrases.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// "John Smith" → "J. S.", "Zoë" → "Z."
    private static func initials(_ written: Substring) -> String {
        written.split(whereSeparator: \.isWhitespace).compactMap { $0.first.map { "\($0.uppercased())." } }
            .joined(separator: " ")
    }

    /// Replaces every whole-word occurrence of `phrase` (ignoring case and accents; the words may be separated by
    /// any white space) with what `replacement` makes of the text it found.
    private static func replacingWords(
        _ phrase: String, in text: String, with replacement: (Substring) -> String
    ) -> String {
        let words = phrase.split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return text }
        var result = ""
        var rest = text[...]
        while let found = find(words, in: rest) {
            result += rest[rest.startIndex..<found.lowerBound]
            let replaced = replacement(rest[found])
            result += replaced
            rest = rest[found.upperBound...]
            // "… thanks, J. S." rather than "J. S.." at the end of a sentence.
            if replaced.hasSuffix("."), rest.first == "." { rest = rest.dropFirst() }
        }
        return result + rest
    }

    /// The first whole-word occurrence of the words, in order, separated by white space.
    private static func find(_ words: [Substring], in text: Substring) -> Range<Substring.Index>? {
        var from = text.startIndex
        while let first = text.range(
            of: words[0], options: [.caseInsensitive, .diacriticInsensitive], range: from..<text.endIndex)
        {
            from = first.upperBound
            guard isBoundary(before: first.lowerBound, in: text) else { continue }
            var end = first.upperBound
            var matched = true
            for word in words.dropFirst() {
                var next = end
                while next < text.endIndex, text[next].isWhitespace { next = text.index(after: next) }
                guard next > end,
                    let range = text.range(
                        of: word, options: [.caseInsensitive, .diacriticInsensitive, .anchored],
                        range: next..<text.endIndex)
                else {
                    matched = false
                    break
                }
                end = range.upperBound
            }
            if matched, isBoundary(after: end, in: text) { return first.lowerBound..<end }
        }
        return nil
    }

    private static func isBoundary(before index: Substring.Index, in text: Substring) -> Bool {
        index == text.startIndex || !isWordCharacter(text[text.index(before: index)])
    }

    private static func isBoundary(after index: Substring.Index, in text: Substring) -> Bool {
        index == text.endIndex || !isWordCharacter(text[index])
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    nonisolated(unsafe) private static let emailPattern =
        /[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}/

    /// 1961-03-12, 12/03/1961 or 3.12.1961, March 12th, 1961 or 12 March 1961.
    nonisolated(unsafe) private static let datePattern =
        /\b(?:(?<isoYear>\d{4})-\d{1,2}-\d{1,2}|\d{1,2}[\/.\-]\d{1,2}[\/.\-](?<year>\d{4})|(?:(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?|\d{1,2}(?:st|nd|rd|th)?\s+(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?)\s+(?<namedYear>\d{4}))\b/

    /// A house number, one to four capitalised words (or an ordinal: 5th), a street kind, maybe a direction and a
    /// flat: "221B Baker Street", "1600 Pennsylvania Ave NW", "55 West 5th Avenue, Apt 4B".
    nonisolated(unsafe) private static let addressPattern =
        /\b\d{1,6}[A-Za-z]?\s+(?:(?:[A-Z][\w'’.\-]*|\d+(?:st|nd|rd|th))\s+){1,4}(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|close|crescent|square|sq|parkway|pkwy|highway|hwy)\b\.?(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?(?:,?\s+(?i:apt|apartment|unit|suite|flat)\.?\s*[A-Za-z0-9\-]+|,?\s+#\s*[A-Za-z0-9\-]+)?/

    /// Digits with what people put between them, starting with +, ( or a digit and ending with a digit.
    nonisolated(unsafe) private static let phonePattern = /(?:(?i:tel):)?\+?\(?\d[\d \u{00A0}().\/\-]{4,}\d/
}
