import Foundation
import Testing
import Vapor

@testable import Daymaker

/// Holds a real response to the schema `openapi.json` gives for its operation and status: a small JSON Schema
/// check (types, required keys, properties, additional properties, items, enums, patterns, `anyOf`/`allOf`/`$ref`) so a
/// response that drifts from the document fails `swift test`, before CI's schemathesis pass.
enum SchemaConformance {
    /// Parsed once and only read afterwards.
    nonisolated(unsafe) static let document: [String: Any] =
        (try? JSONSerialization.jsonObject(with: OpenAPIDocument.data) as? [String: Any]) ?? [:]

    /// What is wrong with this answer to `method path`; empty when it conforms (or the path is not in the document).
    /// An answer that is not JSON must be of a media type the document gives for it.
    static func problems(
        method: HTTPMethod, path: String, status: HTTPResponseStatus, contentType: HTTPMediaType? = nil,
        body: ByteBuffer
    ) -> [String] {
        let route = path.split(separator: "?", maxSplits: 1)[0]
        guard let (template, operations) = operations(for: String(route)),
            let operation = operations[method.rawValue.lowercased()] as? [String: Any]
        else { return [] }
        let name = "\(method.rawValue) \(template) → \(status.code)"
        guard let responses = operation["responses"] as? [String: Any] else { return ["\(name): no responses"] }
        guard var response = responses[String(status.code)] as? [String: Any] else {
            return ["\(name): status not documented"]
        }
        if let ref = response["$ref"] as? String, let resolved = resolve(ref) { response = resolved }
        guard let content = response["content"] as? [String: Any] else { return [] }
        if let contentType, contentType.subType != "json", !contentType.subType.hasSuffix("+json") {
            let media = "\(contentType.type)/\(contentType.subType)"
            return content[media] == nil ? ["\(name): \(media) not documented"] : []
        }
        let media = (content["application/json"] ?? content["application/problem+json"]) as? [String: Any]
        guard let schema = media?["schema"] as? [String: Any] else { return [] }
        guard let value = try? JSONSerialization.jsonObject(with: Data(buffer: body), options: [.fragmentsAllowed])
        else {
            return ["\(name): body is not JSON"]
        }
        return validate(value, schema, at: "").map { "\(name): \($0)" }
    }

    private static func operations(for path: String) -> (String, [String: Any])? {
        guard let paths = document["paths"] as? [String: [String: Any]] else { return nil }
        // The most specific template wins: /bookings/import over /bookings/{bookingId}.
        let segments = path.split(separator: "/")
        return paths.filter { template, _ in
            let parts = template.split(separator: "/")
            return parts.count == segments.count && zip(parts, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.max { $0.key.filter { $0 == "{" }.count > $1.key.filter { $0 == "{" }.count }.map { ($0.key, $0.value) }
    }

    private static func resolve(_ ref: String) -> [String: Any]? {
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let object = node as? [String: Any], let next = object[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    /// The reasons `value` does not fit `schema`, with JSON-pointer-like locations.
    static func validate(_ value: Any, _ schema: [String: Any], at location: String) -> [String] {
        var schema = schema
        if let ref = schema["$ref"] as? String {
            guard let resolved = resolve(ref) else { return ["\(location): unknown \(ref)"] }
            schema = resolved
        }
        if let all = schema["allOf"] as? [[String: Any]] {
            let errors = all.flatMap { validate(value, $0, at: location) }
            if !errors.isEmpty { return errors }
        }
        if let any = schema["anyOf"] as? [[String: Any]] {
            let failures = any.map { validate(value, $0, at: location) }
            if failures.allSatisfy({ !$0.isEmpty }) { return failures.first ?? [] }
        }
        if let types = schema["type"].map({ ($0 as? [String]) ?? [$0 as? String ?? ""] }),
            !types.contains(where: { matches(value, $0) })
        {
            return [
                "\(location.isEmpty ? "body" : location) is \(kind(of: value)), not \(types.joined(separator: " or "))"
            ]
        }
        if let allowed = schema["enum"] as? [Any], !(value is NSNull),
            !allowed.contains(where: { "\($0)" == "\(value)" })
        {
            return ["\(location): \(value) is not one of \(allowed)"]
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
            text.range(of: pattern, options: .regularExpression) == nil
        {
            return ["\(location): \"\(text)\" does not match \(pattern)"]
        }
        var errors: [String] = []
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                errors.append("\(location)/\(key) is missing")
            }
            for (key, item) in object {
                if let property = properties[key] {
                    errors += validate(item, property, at: "\(location)/\(key)")
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    errors += validate(item, extra, at: "\(location)/\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    errors.append("\(location)/\(key) is not in the document")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() { errors += validate(item, items, at: "\(location)/\(index)") }
        }
        return errors
    }

    private static func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": value is NSNull
        case "object": value is [String: Any]
        case "array": value is [Any]
        case "string": value is String
        case "boolean": (value as? NSNumber).map(isBool) ?? false
        case "integer": (value as? NSNumber).map { !isBool($0) && $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "number": (value as? NSNumber).map { !isBool($0) } ?? false
        default: true
        }
    }

    /// JSONSerialization reads `true` and `false` as NSNumbers of Objective-C type `c` (char); numbers are not.
    private static func isBool(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    private static func kind(of value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case is [String: Any]: "an object"
        case is [Any]: "an array"
        case is String: "a string"
        default: "\(value)"
        }
    }
}
