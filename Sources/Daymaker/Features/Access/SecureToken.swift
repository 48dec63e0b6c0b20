import Crypto
import DaymakerCore
import Foundation

/// Random, unguessable tokens and their stored form.
///
/// Only `hash(_:)` of a token is ever written to the database; the token itself is shown once.
enum SecureToken {
    /// 32 random bytes, base64url without padding.
    static func random(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix
            + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256 of the token, lower-case hex.
    static func hash(_ token: String) -> String {
        hex(SHA256.hash(data: Data(token.utf8)))
    }

    /// HMAC-SHA256 of `message` with `secret`, lower-case hex.
    static func sign(_ message: String, secret: String) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        return hex(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key))
    }

    /// Lower-case hex of the bytes (on every API call, so without `String(format:)`).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Hex.lower
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
