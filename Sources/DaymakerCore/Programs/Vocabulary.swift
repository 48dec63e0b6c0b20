/// The words a program counts something by — behaviour tags on moments, root causes in closing summaries: the
/// defaults every program shares (so insights compare programs) and the program's own additions.
public struct Vocabulary: Sendable, Equatable {
    public let defaults: [String]
    public let extras: [String]

    /// At most this many additions per program.
    public static let maxExtras = 30

    public init(defaults: [String], extras: [String]) {
        self.defaults = defaults
        self.extras = extras.filter { !defaults.contains($0) }
    }

    /// Every word, the defaults first.
    public var all: [String] { defaults + extras }

    /// The words chosen, once each and sorted; a word outside the vocabulary is named in the error.
    public func chosen(_ raw: [String], field: String, into errors: inout FieldValidator) -> [String] {
        var kept: Set<String> = []
        for word in raw {
            if all.contains(word) {
                kept.insert(word)
            } else {
                errors.add(field, "'\(word)' is not one of \(all.joined(separator: ", "))")
            }
        }
        return kept.sorted()
    }

    /// Reads the additions a supervisor asks for: each written as a word (`Billing error` becomes
    /// `billing-error`), kept in the order given, once, and never a default again.
    public static func extras(
        _ raw: [String], defaults: [String], field: String, into errors: inout FieldValidator
    ) -> [String] {
        var kept: [String] = []
        for (index, text) in raw.enumerated() {
            guard let word = Self.word(text) else {
                if !text.trimmingWhitespace.isEmpty {
                    errors.add(
                        "\(field)[\(index)]",
                        "'\(text)' must be 2 to 40 letters, digits or hyphens, starting with a letter")
                }
                continue
            }
            if !defaults.contains(word), !kept.contains(word) { kept.append(word) }
        }
        errors.check(kept.count <= maxExtras, field, "must hold at most \(maxExtras) additions")
        return kept
    }

    /// `Billing error` → `billing-error`; nil unless 2 to 40 lower-case ASCII letters, digits or hyphens that
    /// start with a letter.
    public static func word(_ text: String) -> String? {
        let word = text.trimmingWhitespace.lowercased()
            .split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "\t" }).joined(separator: "-")
        let scalars = word.unicodeScalars
        guard (2...40).contains(scalars.count), let first = scalars.first, ("a"..."z").contains(first),
            scalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        return word
    }

    /// Reads a stored comma-separated list.
    public static func stored(_ text: String) -> [String] {
        text.split(separator: ",").map(String.init)
    }
}

extension MomentTag {
    /// The program's tags: these defaults and its additions (stored comma-separated).
    public static func vocabulary(extras: String) -> Vocabulary {
        Vocabulary(defaults: allCases.map(\.rawValue), extras: Vocabulary.stored(extras))
    }
}

extension RootCause {
    /// The root causes of one or more programs: these defaults and every addition of theirs.
    public static func vocabulary(extras: [String]) -> Vocabulary {
        var all: [String] = []
        for list in extras { for word in Vocabulary.stored(list) where !all.contains(word) { all.append(word) } }
        return Vocabulary(defaults: allCases.map(\.rawValue), extras: all)
    }
}
