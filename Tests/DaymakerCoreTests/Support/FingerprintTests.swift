import Testing

@testable import DaymakerCore

@Suite struct FingerprintTests {
    @Test func aFingerprintIsTheSameEveryTimeAndTellsValuesApart() {
        #expect(Fingerprint.of("1795205109.1") == Fingerprint.of("1795205109.1"))
        #expect(Fingerprint.of("1795205109.1") != Fingerprint.of("1795205109.2"))
        #expect(Fingerprint.of("") == 0xcbf2_9ce4_8422_2325)
        // FNV-1a's published value for "a".
        #expect(Fingerprint.of("a") == 0xaf63_dc4c_8601_ec8c)
    }
}
