import Testing

@testable import DaymakerCore

@Suite struct IncidentMessagesTests {
    static func messages(ivr: String, title: String = "Phones down") throws(ValidationFailure) -> IncidentMessages {
        try IncidentMessages(title: title, publicMessage: "Our phones are down.", ivrMessage: ivr, emailReply: nil)
    }

    @Test(
        arguments: [
            ("We are having trouble with our phones. Press 1 and we will call you back.", nil),
            ("Our lines are down until 3 pm; thank you for your patience.", nil),
            ("<Say>Down</Say>", "markup (< and >)"),
            ("Calls > 5 minutes may drop.", "markup (< and >)"),
            ("See https://status.example.com for news.", "web addresses (say \"our status page\" instead)"),
            ("Visit WWW.example.com.", "web addresses (say \"our status page\" instead)"),
            ("Read http://example.com", "web addresses (say \"our status page\" instead)"),
        ] as [(String, String?)])
    func theIVRMessageIsPlainSpeech(ivr: String, refused: String?) {
        #expect(IncidentMessages.unspeakable(ivr) == refused)
        if let refused {
            #expect(throws: ValidationFailure(field: "ivrMessage", "is spoken by the IVR: leave out \(refused)")) {
                try Self.messages(ivr: ivr)
            }
        } else {
            #expect(throws: Never.self) { try Self.messages(ivr: ivr) }
        }
    }

    @Test func everyFieldIsCheckedTogetherAndTrimmed() throws {
        #expect(
            throws: ValidationFailure([
                .init(field: "title", detail: "must be at most 120 characters"),
                .init(field: "publicMessage", detail: "is required"),
                .init(field: "ivrMessage", detail: "is required"),
            ])
        ) {
            try IncidentMessages(
                title: String(repeating: "x", count: 121), publicMessage: "  ", ivrMessage: nil, emailReply: "")
        }
        let messages = try IncidentMessages(
            title: "  Phones down ", publicMessage: "Down.", ivrMessage: "Down.", emailReply: "  ")
        #expect(messages.title == "Phones down")
        #expect(messages.emailReply == nil)
        #expect(
            try Self.messages(ivr: String(repeating: "a", count: IncidentMessages.ivrLimit)).ivrMessage.count == 600)
    }

    @Test func anUpdateChangesOnlyWhatItNames() throws {
        let before = try IncidentMessages(
            title: "Phones down", publicMessage: "Down.", ivrMessage: "Down.", emailReply: "We are slow today.")
        let after = try before.changed(title: nil, publicMessage: nil, ivrMessage: "Back at 3 pm.", emailReply: nil)
        #expect(
            after.title == "Phones down" && after.publicMessage == "Down." && after.emailReply == "We are slow today.")
        #expect(after.ivrMessage == "Back at 3 pm.")
        #expect(throws: ValidationFailure(field: "ivrMessage", "is spoken by the IVR: leave out markup (< and >)")) {
            try before.changed(title: nil, publicMessage: nil, ivrMessage: "<b>", emailReply: nil)
        }
        #expect(try IncidentMessages.update(" Back soon. ") == "Back soon.")
        #expect(throws: ValidationFailure(field: "message", "is required")) { try IncidentMessages.update(nil) }
    }
}
