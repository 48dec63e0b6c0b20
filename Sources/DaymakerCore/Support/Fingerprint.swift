/// A 64-bit FNV-1a hash of a string's UTF-8, the same in every process (Swift's `Hasher` is seeded per process): a
/// compact key for counting millions of distinct values.
public enum Fingerprint {
    public static func of(_ string: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in string.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
