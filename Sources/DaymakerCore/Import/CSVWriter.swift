/// Writes RFC 4180 CSV rows (CRLF line ends, fields quoted when they hold a comma, a quote or a line break).
/// Free text a person typed is kept from being read as a formula by a spreadsheet: a field starting with `=`, `+`,
/// `-`, `@` or a tab gets a leading apostrophe (OWASP's advice on CSV injection).
public enum CSVWriter {
    /// One row; `text` marks the columns holding free text.
    public static func row(_ fields: [String], text: Set<Int> = []) -> String {
        fields.enumerated().map { index, field in
            quoted(text.contains(index) ? guarded(field) : field)
        }.joined(separator: ",") + "\r\n"
    }

    private static func guarded(_ field: String) -> String {
        guard let first = field.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return field }
        return "'" + field
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
