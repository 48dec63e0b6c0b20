/// A closed set of lower-case words (a channel, a role, a status). An unknown word in a request is answered with
/// the words that are accepted, not with Swift's own message.
public protocol ClosedSet: RawRepresentable<String>, CaseIterable, Codable {}

extension ClosedSet {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be one of \(Self.choices)")
        }
        self = value
    }

    /// The accepted words, comma-separated.
    public static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
