import DaymakerCore
import Foundation
import Testing

@testable import Daymaker

@Suite struct QueryParametersTests {
    @Test(arguments: [
        ("program=RIDE&phone=%2B1+312-555-0142", "phone", "+1 312-555-0142"),
        ("phone=(312)%20555-0142", "phone", "(312) 555-0142"),
        ("email=john%2Brides%40example.com", "email", "john+rides@example.com"),
        ("name=Ren%C3%A9e", "name", "Renée"),
        ("a=1&a=2", "a", "1"),
        ("flag&x=1", "flag", ""),
        ("x==1", "x", "=1"),
    ])
    func readsValues(query: String, name: String, expected: String) {
        #expect(QueryParameters(query)[name] == expected)
    }

    @Test(arguments: ["phone=%zz", "phone=%4", "phone=%C3%28", "other=1", "", "=1"])
    func malformedOrMissingValuesAreAbsent(query: String) {
        #expect(QueryParameters(query)["phone"] == nil)
    }

    @Test func noQueryAtAll() {
        #expect(QueryParameters(nil)["program"] == nil)
    }

    @Test(
        arguments: [
            (" \t John \n", "John"), ("", nil), ("  \r\n", nil), ("\u{00A0}x y\u{3000}", "x y"), ("Zoë", "Zoë"),
        ] as [(String, String?)])
    func blankValuesAreNilOthersTrimmed(raw: String, expected: String?) {
        #expect(raw.nilIfBlank == expected)
        // The same answer as Foundation's trimming, which it replaces on the hot path.
        let foundation = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(raw.nilIfBlank == (foundation.isEmpty ? nil : foundation))
    }
}
