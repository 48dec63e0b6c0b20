import DaymakerCore
import Foundation
import Testing

/// The signature on the webhooks Daymaker sends, against values computed with Python's `hmac` module.
@Suite struct WebhookSignatureTests {
    static let body = Data(#"{"type":"survey.invitation"}"#.utf8)
    static let at = 1_796_000_000

    @Test(arguments: [
        ("whsec_test_secret", body, at, "sha256=e1f89a504d546c217caec18d305b4c89f28e41bf999c5a58eae0a3410d2d1cc0"),
        ("key", Data(), 0, "sha256=85841b4efc3cd7776c3c8f9b7cca9e281c550e5d19889d78e9e669c6337f000d"),
    ])
    func signsTheTimestampAndTheBody(secret: String, body: Data, timestamp: Int, signature: String) {
        #expect(WebhookSignature.sign(body: body, timestamp: timestamp, secret: secret) == signature)
    }

    @Test func aForgedAlteredOrReplayedRequestIsRefused() {
        let now = Date(timeIntervalSince1970: Double(Self.at) + 60)
        let good = WebhookSignature.sign(body: Self.body, timestamp: Self.at, secret: "whsec_test_secret")
        #expect(
            WebhookSignature.verify(
                signature: good, body: Self.body, timestamp: Self.at, secret: "whsec_test_secret", now: now))
        #expect(
            !WebhookSignature.verify(
                signature: good, body: Data("{}".utf8), timestamp: Self.at, secret: "whsec_test_secret", now: now))
        #expect(
            !WebhookSignature.verify(signature: good, body: Self.body, timestamp: Self.at, secret: "another", now: now))
        #expect(
            !WebhookSignature.verify(
                signature: good, body: Self.body, timestamp: Self.at + 1, secret: "whsec_test_secret", now: now))
        let late = Date(timeIntervalSince1970: Double(Self.at) + 301)
        #expect(
            !WebhookSignature.verify(
                signature: good, body: Self.body, timestamp: Self.at, secret: "whsec_test_secret", now: late))
    }
}
