extension String {
    /// nil for an empty or all-whitespace string, else the trimmed string.
    public var nilIfBlank: String? {
        let trimmed = trimmingWhitespace
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The string without leading and trailing whitespace (and line breaks).
    /// (Trimmed here rather than with Foundation's `trimmingCharacters`, which bridges through `NSString` on
    /// Linux: this runs on every recognition lookup.)
    public var trimmingWhitespace: String {
        // Most values (every field of a million-row file) have nothing to trim.
        if let first = utf8.first, let last = utf8.last, Self.isPlain(first), Self.isPlain(last) { return self }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    /// A byte that starts or ends a string with nothing to trim there: ASCII, printable, not a space.
    private static func isPlain(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}
