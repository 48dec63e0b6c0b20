import Foundation
import Testing

@testable import DaymakerCore

@Suite struct JSONTextTests {
    @Test func anArrayOfStringsReadsBackAsItWas() throws {
        let strings = [
            "", "plain", #""John Smith" <5551234>"#, "back\\slash", "tab\tnew\nline\r", "\u{1}\u{1F}", "Zoë 🚕",
        ]
        let text = JSONText.array(strings)
        #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == strings)
        #expect(JSONText.array(["a", "b"]) == #"["a","b"]"#)
    }

    @Test func aFingerprintIsTheSameEveryTimeAndTellsValuesApart() {
        #expect(JSONText.fingerprint("1795205109.1") == JSONText.fingerprint("1795205109.1"))
        #expect(JSONText.fingerprint("1795205109.1") != JSONText.fingerprint("1795205109.2"))
        #expect(JSONText.fingerprint("") == 0xcbf2_9ce4_8422_2325)
    }
}
