import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Counts the ids this process makes (see `UUID(timeOrderedAt:)`); starts at a random place so two processes'
/// counts seldom meet.
private let timeOrderedCount = Atomic<UInt64>(UInt64.random(in: 0..<(1 << 41)))

/// Random bits from the system's generator, fetched a few kilobytes at a time: one system call per id was a
/// noticeable part of writing a million call records.
private let randomBits = Mutex(RandomBits())

private struct RandomBits {
    private var words = [UInt32](repeating: 0, count: 1024)
    private var next = 1024

    mutating func take() -> UInt32 {
        if next == words.count {
            words.withUnsafeMutableBytes { Self.fill($0) }
            next = 0
        }
        defer { next += 1 }
        return words[next]
    }

    /// The system's generator (on Linux `getrandom`, one call for the whole buffer).
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        arc4random_buf(buffer.baseAddress!, buffer.count)
    }
}

extension UUID {
    /// A version 7 UUID (RFC 9562): the instant's Unix time in milliseconds in the first 48 bits, then a 42-bit
    /// count of the ids this process made (RFC 9562's "fixed bit-length dedicated counter"), then 32 random bits.
    /// Rows written together get ids in the order they were made, so a primary-key index grows at its end instead
    /// of touching a random page per row (what makes random ids costly for tables written by the thousand) — also
    /// when a thousand rows share one instant, as an import's do.
    public init(timeOrderedAt instant: Date) {
        let milliseconds = UInt64(max(0, instant.timeIntervalSince1970 * 1000))
        let count = timeOrderedCount.add(1, ordering: .relaxed).newValue & (1 << 42 - 1)
        let random = randomBits.withLock { $0.take() }
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

    /// `uuidString` (upper case, as Fluent stores ids in SQLite), written directly: Foundation's goes through C's
    /// `sprintf`, seven times slower, which a million rows' ids notice.
    public var uppercaseText: String { text(Hex.upper) }

    /// The lower-case text the API writes (RFC 9562).
    public var lowercaseText: String { text(Hex.lower) }

    private func text(_ digits: [UInt8]) -> String {
        withUnsafeBytes(of: uuid) { bytes in
            digits.withUnsafeBufferPointer { hex in
                String(unsafeUninitializedCapacity: 36) { text in
                    var at = 0
                    for index in 0..<16 {
                        if index == 4 || index == 6 || index == 8 || index == 10 {
                            text[at] = UInt8(ascii: "-")
                            at += 1
                        }
                        text[at] = hex[Int(bytes[index] >> 4)]
                        text[at + 1] = hex[Int(bytes[index] & 0x0F)]
                        at += 2
                    }
                    return 36
                }
            }
        }
    }
}
