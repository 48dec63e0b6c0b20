import Foundation

extension JSONDecoder {
    /// Daymaker's API decoder: ISO 8601 times (with or without fractional seconds); a bad time names its field.
    static var daymaker: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = ISO8601.parse(text) { return date }
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "must be an ISO 8601 time such as 2026-11-20T15:04:05Z")
        }
        return decoder
    }
}

extension JSONEncoder {
    /// Daymaker's API encoder: ISO 8601 UTC times with `Z`, sorted keys.
    static var daymaker: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

enum ISO8601 {
    static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
