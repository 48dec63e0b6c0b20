import DaymakerCore
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
    /// Daymaker's API encoder: ISO 8601 UTC times with `Z` (whole seconds), sorted keys.
    static var daymaker: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.format(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

enum ISO8601 {
    /// `2026-11-20T15:04:05Z`. Written by hand: Foundation's formatters cost more than a whole database
    /// query on Linux, and a card carries a dozen times.
    static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var bytes = [UInt8](repeating: 0, count: 20)
        func put(_ value: Int32, _ width: Int, at offset: Int) {
            var value = value
            for index in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[index] = UInt8(48 + value % 10)
                value /= 10
            }
        }
        put(parts.tm_year + 1900, 4, at: 0)
        put(parts.tm_mon + 1, 2, at: 5)
        put(parts.tm_mday, 2, at: 8)
        put(parts.tm_hour, 2, at: 11)
        put(parts.tm_min, 2, at: 14)
        put(parts.tm_sec, 2, at: 17)
        (bytes[4], bytes[7], bytes[10], bytes[13], bytes[16], bytes[19]) = (45, 45, 84, 58, 58, 90)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads an internet time (RFC 3339: `2026-11-20T15:04:05Z`, `…05.250+01:00`) by hand, for the same reason;
    /// anything else is left to Foundation's formatter, which also has the last word on a form read here whose
    /// fields are out of range.
    static func parse(_ text: String) -> Date? {
        if let date = parseInternetTime(text) { return date }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    static func parseInternetTime(_ text: String) -> Date? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> Date? in
            var index = 0
            func number(_ width: Int) -> Int? {
                guard index + width <= bytes.count else { return nil }
                var value = 0
                for offset in index..<index + width {
                    let digit = Int(bytes[offset]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                index += width
                return value
            }
            func expect(_ byte: UInt8) -> Bool {
                guard index < bytes.count, bytes[index] == byte else { return false }
                index += 1
                return true
            }
            guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
                expect(84), let hour = number(2), expect(58), let minute = number(2), expect(58),
                let second = number(2), (1...12).contains(month), day >= 1,
                hour < 24, minute < 60, second < 60
            else { return nil }
            var fraction = 0.0
            if index < bytes.count, bytes[index] == 46 {
                index += 1
                var scale = 0.1
                let start = index
                while index < bytes.count, (48...57).contains(bytes[index]) {
                    fraction += Double(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
                guard index > start else { return nil }
            }
            var offset = 0
            if expect(90) {
                offset = 0
            } else if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 {
                let sign = bytes[index] == 45 ? -1 : 1
                index += 1
                guard let hours = number(2), expect(58), let minutes = number(2), hours < 24, minutes < 60 else {
                    return nil
                }
                offset = sign * (hours * 3600 + minutes * 60)
            } else {
                return nil
            }
            guard index == bytes.count, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
            let days = CivilDate.daysSince1970(year: year, month: month, day: day)
            let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
            return Date(timeIntervalSince1970: Double(seconds) + fraction)
        } ?? nil
    }
}
