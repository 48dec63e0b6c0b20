/// Hexadecimal digits as bytes, for the hand-written encoders on hot paths (ids, tokens, JSON, query strings).
public enum Hex {
    public static let lower = Array("0123456789abcdef".utf8)
    public static let upper = Array("0123456789ABCDEF".utf8)

    /// The value of one hex digit in either case; nil for any other byte.
    public static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
