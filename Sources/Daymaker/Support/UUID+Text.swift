import Foundation

/// UUIDs to and from their 36-character text on the hot path. Foundation goes through `sscanf` and `sprintf`
/// on Linux, which shows up when a card reads and writes a few dozen of them; these give the same results.
extension UUID {
    /// Reads `E621E1F8-C36C-495A-93FC-0C247A3E6E5F` in either case; nil for anything else.
    init?(text: String) {
        self.init(utf8: text.utf8)
    }

    /// The same from UTF-8 bytes (as a database hands them out).
    init?(utf8: some Sequence<UInt8>) {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var utf8 = utf8.makeIterator()
        let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var index = 0
            var position = 0
            while let high = utf8.next() {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard high == UInt8(ascii: "-") else { return false }
                    position += 1
                    continue
                }
                guard let h = Hex.value(of: high), let low = utf8.next(), let l = Hex.value(of: low), index < 16 else {
                    return false
                }
                out[index] = h << 4 | l
                index += 1
                position += 2
            }
            return index == 16 && position == 36
        }
        guard ok else { return nil }
        self.init(uuid: bytes)
    }

    /// The upper-case text, as `uuidString` writes it and Fluent stores it in SQLite.
    var text: String { text(Hex.upper) }

    /// The lower-case text the API writes (RFC 9562).
    var lowercaseText: String { text(Hex.lower) }

    private func text(_ digits: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(36)
        withUnsafeBytes(of: uuid) { bytes in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
