import Crypto
import Foundation

/// How Daymaker signs the webhooks it sends (survey invitations to an SMS provider): `X-Daymaker-Timestamp` carries
/// the Unix time of sending and `X-Daymaker-Signature` `sha256=` with the hex HMAC-SHA256 of "`timestamp`.`body`"
/// under the program's webhook secret. A receiver recomputes it over the raw body, compares in constant time and
/// refuses a timestamp more than five minutes old, so a forged or replayed request is refused.
public enum WebhookSignature {
    public static let tolerance: TimeInterval = 300

    public static func sign(body: Data, timestamp: Int, secret: String) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// True when `signature` signs this body at this time under the secret, and the time is recent.
    public static func verify(
        signature: String, body: Data, timestamp: Int, secret: String, now: Date
    ) -> Bool {
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = Array(sign(body: body, timestamp: timestamp, secret: secret).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
