import Foundation
import Testing

@testable import DaymakerCore

@Suite struct MailMessageTests {
    static func message(subject: String, body: String = "Hi.\nBack soon.") -> MailMessage {
        MailMessage(
            fromName: "Ride Line", fromAddress: "noreply@ride.example", to: "ann@example.com", subject: subject,
            body: body, date: Date(timeIntervalSince1970: 1_795_015_800), messageID: "m1@ride.example", autoReply: true)
    }

    @Test func aMessageSaysItIsAnAutomaticReplyAndCarriesAnyTextInBase64() throws {
        let text = Self.message(subject: "Phones down").text
        let (head, body) = try #require(
            text.range(of: "\r\n\r\n").map { (text[..<$0.lowerBound], text[$0.upperBound...]) })
        #expect(
            head.split(separator: "\r\n") == [
                "From: Ride Line <noreply@ride.example>", "To: <ann@example.com>", "Subject: Phones down",
                "Date: Wed, 18 Nov 2026 15:30:00 +0000", "Message-ID: <m1@ride.example>", "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64",
                "Auto-Submitted: auto-replied",
            ])
        let decoded = Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: ""))
        #expect(decoded.map { String(decoding: $0, as: UTF8.self) } == "Hi.\r\nBack soon.")
    }

    @Test func aHeaderValueCannotAddHeadersAndNonASCIIIsAnEncodedWord() {
        let smuggled = Self.message(subject: "Down\r\nBcc: everyone@example.com").text
        #expect(!smuggled.contains("\r\nBcc:"))
        #expect(smuggled.contains("Subject: Down  Bcc: everyone@example.com\r\n"))
        let accented = Self.message(subject: "Störung — Telefon").text
        #expect(accented.contains("Subject: =?utf-8?B?\(Data("Störung — Telefon".utf8).base64EncodedString())?=\r\n"))
    }
}
