import Foundation

extension UUID {
    /// A version 7 UUID (RFC 9562): the instant's Unix time in milliseconds in the first 48 bits, then random bits.
    /// Rows written together get ids next to each other, so a primary-key index grows at its end instead of
    /// touching a random page per row (what makes random ids costly for tables written by the thousand).
    public init(timeOrderedAt instant: Date) {
        var generator = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, instant.timeIntervalSince1970 * 1000))
        let random = (generator.next() as UInt64, generator.next() as UInt64)
        func byte(_ value: UInt64, _ shift: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: value >> shift) }
        self.init(
            uuid: (
                byte(milliseconds, 40), byte(milliseconds, 32), byte(milliseconds, 24), byte(milliseconds, 16),
                byte(milliseconds, 8), byte(milliseconds, 0),
                0x70 | (byte(random.0, 8) & 0x0F), byte(random.0, 0),  // version 7
                0x80 | (byte(random.1, 56) & 0x3F), byte(random.1, 48),  // variant 10
                byte(random.1, 40), byte(random.1, 32), byte(random.1, 24), byte(random.1, 16), byte(random.1, 8),
                byte(random.1, 0)
            ))
    }
}
