/// A TwiML document: the XML a voice webhook answers Twilio with. Verbs and nouns are elements with attributes
/// and either text or nested elements; text and attribute values are escaped.
public struct TwiML: Sendable {
    public struct Element: Sendable {
        public var name: String
        public var attributes: [(String, String)]
        public var text: String?
        public var children: [Element]

        public init(
            _ name: String, _ attributes: [(String, String)] = [], text: String? = nil, _ children: [Element] = []
        ) {
            self.name = name
            self.attributes = attributes
            self.text = text
            self.children = children
        }

        func write(to xml: inout String) {
            xml += "<" + name
            for (key, value) in attributes { xml += " \(key)=\"\(XMLText.escape(value))\"" }
            guard text != nil || !children.isEmpty else {
                xml += "/>"
                return
            }
            xml += ">"
            if let text { xml += XMLText.escape(text) }
            for child in children { child.write(to: &xml) }
            xml += "</\(name)>"
        }
    }

    public var verbs: [Element]

    public init(_ verbs: [Element]) {
        self.verbs = verbs
    }

    /// The document as Twilio reads it.
    public var xml: String {
        var xml = #"<?xml version="1.0" encoding="UTF-8"?><Response>"#
        for verb in verbs { verb.write(to: &xml) }
        return xml + "</Response>"
    }
}
