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
