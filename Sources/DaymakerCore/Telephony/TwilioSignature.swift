import Crypto
import Foundation

/// Twilio's webhook signature (`X-Twilio-Signature`), checked as Twilio specifies it: HMAC-SHA1, keyed with the
/// account's auth token, over the full URL Twilio requested (query string included) followed by every POST
/// parameter's name and value, sorted by name (a repeated name: its distinct values sorted), base64-encoded.
///
/// Every parameter received is signed, never a fixed list: Twilio adds parameters without notice. The URL is tried
/// as given and with its default port added or removed, as Twilio's own libraries do, because Twilio is not
/// consistent about which one it signs. A JSON body is covered by the `bodySHA256` query parameter instead (the
/// hex SHA-256 of the body; the URL then carries the signature alone).
public struct TwilioSignature: Sendable {
    private let token: Data

    public init(authToken: String) {
        token = Data(authToken.utf8)
    }

    /// The signature Twilio sends for a request to `url` with the form `parameters`.
    public func signature(url: String, parameters: [(name: String, value: String)]) -> String {
        var signed = url
        for (name, values) in Self.grouped(parameters) {
            for value in values { signed += name + value }
        }
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: Data(signed.utf8), using: SymmetricKey(data: token))
        return Data(code).base64EncodedString()
    }

    /// True when `signature` signs this request: a form post (`parameters`) or, when the URL carries `bodySHA256`,
    /// a body whose hash it names.
    public func isValid(
        _ signature: String, url: String, parameters: [(name: String, value: String)], body: [UInt8] = []
    ) -> Bool {
        var parameters = parameters
        var bodyMatches = true
        if let components = URLComponents(string: url),
            let hash = components.queryItems?.first(where: { $0.name == "bodySHA256" })?.value
        {
            let digest = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
            bodyMatches = ConstantTime.equals(digest, hash)
            parameters = []
        }
        let candidates = Self.portVariants(of: url).map { self.signature(url: $0, parameters: parameters) }
        // Both variants are compared, so the time taken does not tell which one was close.
        let matches = candidates.map { ConstantTime.equals($0, signature) }
        return bodyMatches && matches.contains(true)
    }

    /// The URL without its port and with the scheme's default port (the same URL twice when it has another port).
    static func portVariants(of url: String) -> [String] {
        guard var components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            return [url]
        }
        let defaultPort = scheme == "https" ? 443 : 80
        if components.port == nil {
            components.port = defaultPort
            return [url, components.string ?? url]
        }
        components.port = nil
        return [components.string ?? url, url]
    }

    /// Parameter names in byte order, each with its distinct values in byte order (Twilio's libraries sort by
    /// code point; UTF-8 byte order is the same order).
    private static func grouped(_ parameters: [(name: String, value: String)]) -> [(String, [String])] {
        var byName: [String: Set<String>] = [:]
        for (name, value) in parameters { byName[name, default: []].insert(value) }
        let precedes: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return byName.keys.sorted(by: precedes).map { ($0, byName[$0]!.sorted(by: precedes)) }
    }
}
