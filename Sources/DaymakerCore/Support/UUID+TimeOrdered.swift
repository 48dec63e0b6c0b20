import Foundation
import Synchronization

/// Counts the ids this process makes (see `UUID(timeOrderedAt:)`); starts at a random place so two processes'
/// counts seldom meet.
private let timeOrderedCount = Atomic<UInt64>(UInt64.random(in: 0..<(1 << 41)))

extension UUID {
    /// A version 7 UUID (RFC 9562): the instant's Unix time in milliseconds in the first 48 bits, then a 42-bit
    /// count of the ids this process made (RFC 9562's "fixed bit-length dedicated counter"), then 32 random bits.
    /// Rows written together get ids in the order they were made, so a primary-key index grows at its end instead
    /// of touching a random page per row (what makes random ids costly for tables written by the thousand) — also
    /// when a thousand rows share one instant, as an import's do.
    public init(timeOrderedAt instant: Date) {
        let milliseconds = UInt64(max(0, instant.timeIntervalSince1970 * 1000))
        let count = timeOrderedCount.add(1, ordering: .relaxed).newValue & (1 << 42 - 1)
        let random = UInt32.random(in: .min ... .max)
        func byte<T: BinaryInteger>(_ value: T, _ shift: Int) -> UInt8 { UInt8(truncatingIfNeeded: value >> shift) }
        self.init(
            uuid: (
                byte(milliseconds, 40), byte(milliseconds, 32), byte(milliseconds, 24), byte(milliseconds, 16),
                byte(milliseconds, 8), byte(milliseconds, 0),
                0x70 | (byte(count, 38) & 0x0F), byte(count, 30),  // version 7, the count's top 12 bits
                0x80 | (byte(count, 24) & 0x3F), byte(count, 16), byte(count, 8), byte(count, 0),  // variant 10
                byte(random, 24), byte(random, 16), byte(random, 8), byte(random, 0)
            ))
    }
}
