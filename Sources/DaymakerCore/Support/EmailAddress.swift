/// A deliberately loose email check: one @, something on both sides, a dot in the domain, no spaces.
public enum EmailAddress {
    public static func isPlausible(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), address.count <= 254
        else { return false }
        return !address.contains(where: { $0.isWhitespace })
    }
}
