extension String {
    /// nil for an empty or all-whitespace string, else the trimmed string.
    /// (Trimmed here rather than with Foundation's `trimmingCharacters`, which bridges through `NSString` on
    /// Linux: this runs on every recognition lookup.)
    var nilIfBlank: String? {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return nil }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
