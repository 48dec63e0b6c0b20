import Foundation

/// Who a customer's survey credits: the rep who handled the contact when it ended — not whoever holds it later —
/// and every rep of the program the customer names in their own words ("Sarah was wonderful").
public enum SurveyCredit {
    public struct Rep: Sendable {
        public var id: UUID
        /// The name customers know them by.
        public var name: String

        public init(id: UUID, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// The handling rep first, then the reps named in the text, each once.
    public static func reps(handledBy: UUID?, text: String, reps: [Rep]) -> [UUID] {
        var credited = handledBy.map { [$0] } ?? []
        let words = Self.words(text)
        for rep in reps where !credited.contains(rep.id) && names(rep.name, in: words) {
            credited.append(rep.id)
        }
        return credited
    }

    /// Whether the text names them: the words of their name, in order, as whole words, whatever the case or accents.
    public static func names(_ name: String, in text: String) -> Bool {
        names(name, in: words(text))
    }

    private static func names(_ name: String, in words: [String]) -> Bool {
        let wanted = Self.words(name)
        guard !wanted.isEmpty, wanted.joined().count >= 2, words.count >= wanted.count else { return false }
        for start in 0...(words.count - wanted.count) where Array(words[start..<start + wanted.count]) == wanted {
            return true
        }
        return false
    }

    /// Lower-case words without accents; an apostrophe's tail ("Sarah's") is not part of the word.
    static func words(_ text: String) -> [String] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "'" && $0 != "’" })
            .compactMap { word in
                let stem = word.split(whereSeparator: { $0 == "'" || $0 == "’" }).first.map(String.init)
                return stem?.isEmpty == false ? stem : nil
            }
    }
}
