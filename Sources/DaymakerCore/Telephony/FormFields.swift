import Foundation

/// The fields of an `application/x-www-form-urlencoded` body or query, in the order they came, repeated names
/// kept (a signature covers every one of them).
public enum FormFields {
    public static func parse(_ encoded: String) -> [(name: String, value: String)] {
        encoded.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// `+` is a space; a `%` escape that is not valid UTF-8 is kept as it came.
    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
