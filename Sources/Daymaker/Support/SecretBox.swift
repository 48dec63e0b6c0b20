import Crypto
import Foundation
import Vapor

/// Seals credentials Daymaker must use but never shows (a telephony provider's auth token) with a key derived from
/// `DAYMAKER_SESSION_SECRET`, so a copy of the database or a backup alone does not give them away. A sealed value
/// opens only with the secret it was sealed under: after the secret changes, it must be saved again.
struct SecretBox {
    private let key: SymmetricKey

    init(secret: String) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(secret.utf8)), info: Data("daymaker stored credentials v1".utf8),
            outputByteCount: 32)
    }

    func seal(_ plaintext: String) throws -> String {
        try ChaChaPoly.seal(Data(plaintext.utf8), using: key).combined.base64EncodedString()
    }

    /// The value, or nil when it was sealed under another secret (or is not a sealed value at all).
    func open(_ sealed: String) -> String? {
        guard let data = Data(base64Encoded: sealed), let box = try? ChaChaPoly.SealedBox(combined: data),
            let plaintext = try? ChaChaPoly.open(box, using: key)
        else { return nil }
        return String(decoding: plaintext, as: UTF8.self)
    }
}

extension Application {
    /// Seals and opens stored credentials with this server's `DAYMAKER_SESSION_SECRET`.
    var secretBox: SecretBox { SecretBox(secret: config.sessionSecret) }
}
