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
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
