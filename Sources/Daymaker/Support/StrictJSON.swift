import DaymakerCore
import Vapor

/// Decodes JSON bodies and rejects fields the type does not know.
///
/// After decoding, the value is encoded again; any key the client sent with a non-null value that does not come
/// back is unknown and answered with a 422 naming it. (A null sent for an unknown key carries nothing and is ignored.)
extension Request {
    func decodeStrict<T: Codable>(_ type: T.Type) throws -> T {
        try Self.decodeStrict(type, from: try jsonBody())
    }

    /// The bytes of a JSON body; a problem when the body is missing or not JSON by its content type.
    func jsonBody() throws -> Data {
        guard let contentType = headers.contentType, contentType.type == "application",
            contentType.subType == "json" || contentType.subType.hasSuffix("+json")
        else {
            throw Problem.unsupportedMediaType
        }
        guard let buffer = body.data else { throw Problem.badRequest("The request has no JSON body.") }
        return Data(buffer: buffer)
    }

    /// Decodes `data` as `decodeStrict` decodes a body.
    static func decodeStrict<T: Codable>(_ type: T.Type, from data: Data) throws -> T {
        let value = try JSONDecoder.daymaker.decode(T.self, from: data)
        let encoder = JSONEncoder.daymaker
        guard let sent = try? JSONSerialization.jsonObject(with: data),
            let known = try? JSONSerialization.jsonObject(with: encoder.encode(value))
        else { return value }
        let unknown = Self.unknownKeys(sent: sent, known: known, path: "")
        if !unknown.isEmpty {
            throw ValidationFailure(unknown.map { .init(field: $0, detail: "is not a field Daymaker knows") })
        }
        let withNul = Self.stringsWithNul(sent, path: "")
        if !withNul.isEmpty {
            // PostgreSQL cannot store a NUL character and SQLite would; refusing it everywhere keeps both the same.
            throw ValidationFailure(withNul.map { .init(field: $0, detail: "must not contain a NUL character") })
        }
        return value
    }

    private static func stringsWithNul(_ sent: Any, path: String) -> [String] {
        switch sent {
        case let text as String: return text.utf8.contains(0) ? [path] : []
        case let object as [String: Any]:
            return object.keys.sorted().flatMap { key in
                stringsWithNul(object[key]!, path: path.isEmpty ? key : "\(path).\(key)")
            }
        case let array as [Any]:
            return array.enumerated().flatMap { index, item in stringsWithNul(item, path: "\(path)[\(index)]") }
        default: return []
        }
    }

    private static func unknownKeys(sent: Any, known: Any, path: String) -> [String] {
        if let sent = sent as? [String: Any] {
            let known = known as? [String: Any] ?? [:]
            return sent.keys.sorted().flatMap { key -> [String] in
                let field = path.isEmpty ? key : "\(path).\(key)"
                guard let value = sent[key], !(value is NSNull) else { return [] }
                guard let knownValue = known[key] else { return [field] }
                return unknownKeys(sent: value, known: knownValue, path: field)
            }
        }
        if let sent = sent as? [Any], let known = known as? [Any], sent.count == known.count {
            return zip(sent, known).enumerated().flatMap { index, pair in
                unknownKeys(sent: pair.0, known: pair.1, path: "\(path)[\(index)]")
            }
        }
        return []
    }
}

/// Any key of a JSON object, to see which keys were sent.
struct AnyJSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// What `Request.decodeStrict` checks, for a flat type that checks itself while it decodes (a body that comes by
    /// the thousand, read in one pass): keys `Keys` does not know that carry a value, then strings with a NUL.
    func refuseUnknownKeysAndNul<Keys: CodingKey>(_ keys: Keys.Type, strings: [(Keys, String?)]) throws {
        let container = try self.container(keyedBy: AnyJSONKey.self)
        var unknown: [String] = []
        for key in container.allKeys where Keys(stringValue: key.stringValue) == nil {
            if try !container.decodeNil(forKey: key) { unknown.append(key.stringValue) }
        }
        if !unknown.isEmpty {
            throw ValidationFailure(unknown.sorted().map { .init(field: $0, detail: "is not a field Daymaker knows") })
        }
        let withNul = strings.filter { $0.1?.utf8.contains(0) == true }.map(\.0.stringValue).sorted()
        if !withNul.isEmpty {
            throw ValidationFailure(withNul.map { .init(field: $0, detail: "must not contain a NUL character") })
        }
    }
}

extension DecodingError {
    /// The same error with the first `count` keys of its path dropped: as if the value found there had been decoded
    /// on its own (an element of a batch).
    func droppingPath(_ count: Int) -> DecodingError {
        func relative(_ context: Context) -> Context {
            Context(
                codingPath: Array(context.codingPath.dropFirst(count)), debugDescription: context.debugDescription,
                underlyingError: context.underlyingError)
        }
        switch self {
        case .typeMismatch(let type, let context): return .typeMismatch(type, relative(context))
        case .valueNotFound(let type, let context): return .valueNotFound(type, relative(context))
        case .keyNotFound(let key, let context): return .keyNotFound(key, relative(context))
        case .dataCorrupted(let context): return .dataCorrupted(relative(context))
        @unknown default: return self
        }
    }
}
