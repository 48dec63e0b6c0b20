/// Comparing secrets without telling, by the time taken, where they differ.
public enum ConstantTime {
    /// True when the strings are equal; the time depends on their lengths only.
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
