/// A `LIKE … ESCAPE '\'` pattern for "contains this text, literally": `%`, `_` and `\` typed by a user match
/// themselves, not any text (the same on SQLite and PostgreSQL). Lower-cased, to compare with `LOWER(column)` or a
/// column stored lower-cased.
enum LikePattern {
    static func containing(_ text: String) -> String {
        var escaped = ""
        for character in text.lowercased() {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }
}
