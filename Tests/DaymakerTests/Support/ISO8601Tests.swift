import Foundation
import Testing

@testable import Daymaker

/// Times in API bodies are read by hand (Foundation's formatter is slow on Linux); they must read as it does.
@Suite struct ISO8601Tests {
    /// Foundation's reading, plain or with fractional seconds.
    static func foundation(_ text: String) -> Date? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return ISO8601DateFormatter().date(from: text) ?? fractional.date(from: text)
    }

    @Test(arguments: [
        "2026-11-20T15:04:05Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2000-02-29T12:00:00Z",
        "2026-12-31T23:59:59+01:00", "2026-01-01T00:00:00-05:30", "1969-07-20T20:17:40Z", "2100-03-01T00:00:00Z",
        "2026-11-20T15:04:05.5Z", "2026-11-20T15:04:05.250+02:00", "2026-11-20T15:04:05.001Z",
    ])
    func anInternetTimeReadsAsFoundationReadsIt(_ text: String) throws {
        let ours = try #require(ISO8601.parseInternetTime(text))
        let theirs = try #require(Self.foundation(text))
        #expect(abs(ours.timeIntervalSince(theirs)) < 0.001)
    }

    @Test(arguments: [
        "2026-02-29T10:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-20T24:00:00Z",
        "2026-11-20T15:60:00Z", "2026-11-20T15:04:05", "2026-11-20T15:04:05.Z", "2026-11-20T15:04:05+0100",
        "2026-11-20 15:04:05Z", "26-11-20T15:04:05Z", "2026-11-20T15:04:05Zjunk", "",
    ])
    func anythingElseIsNotReadByHand(_ text: String) {
        #expect(ISO8601.parseInternetTime(text) == nil)
    }

    @Test func fractionsOfASecondAreKept() throws {
        let early = try #require(ISO8601.parse("2026-11-20T15:04:05.100Z"))
        let late = try #require(ISO8601.parse("2026-11-20T15:04:05.200Z"))
        #expect(late.timeIntervalSince(early) > 0.09)
    }
}
