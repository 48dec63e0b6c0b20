import Testing

@testable import DaymakerCore

@Suite struct XMLTextTests {
    @Test func markupIsEscapedAndControlCharactersLeftOut() {
        #expect(
            XMLText.escape(#"Tom & "Ann" <back> at 3 o'clock"#)
                == "Tom &amp; &quot;Ann&quot; &lt;back&gt; at 3 o&apos;clock")
        #expect(XMLText.escape("line one\nline two\ttab\r") == "line one\nline two\ttab\r")
        #expect(XMLText.escape("bell\u{07} and escape\u{1B}[0m") == "bell and escape[0m")
        #expect(XMLText.escape("Zoë 👋") == "Zoë 👋")
    }
}
