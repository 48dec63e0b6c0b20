import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// A signed-in browser for page tests: cookies and the CSRF token a form would carry. It talks to the app in
/// memory or, through a `LiveServer`, over real HTTP.
struct BrowserSession: Sendable {
    var cookies: [String: String] = [:]
    var csrf = ""

    var cookieHeader: String {
        cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }

    /// Fetches the sign-in form (for its CSRF cookie and token) and, with an email, signs in.
    static func start(
        _ app: some HTTPTransport, email: String? = nil, password: String = World.password
    ) async throws -> BrowserSession {
        var session = BrowserSession()
        let form = try await session.get(app, "/sign-in")
        #expect(form.status == .ok)
        if let email {
            let response = try await session.post(
                app, "/sign-in", form: ["email": email, "password": password, "next": "/customers"])
            #expect(response.status == .seeOther, "sign-in as \(email)")
            // Signing in rotates the CSRF nonce: pick up the token that fits the new session.
            _ = try await session.get(app, "/sign-in")
        }
        return session
    }

    mutating func get(_ app: some HTTPTransport, _ path: String) async throws -> HTTPReply {
        let response = try await app.exchange(.GET, path, headers: ["Cookie": cookieHeader], body: nil)
        absorb(response)
        return response
    }

    /// Posts a form with this session's CSRF token (unless `csrf` overrides it).
    mutating func post(
        _ app: some HTTPTransport, _ path: String, form: [String: String], csrf override: String? = nil,
        headers extra: HTTPHeaders = [:]
    ) async throws -> HTTPReply {
        var fields = form
        fields["_csrf"] = override ?? csrf
        let body = fields.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        var headers = extra
        headers.replaceOrAdd(name: "Cookie", value: cookieHeader)
        headers.replaceOrAdd(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let response = try await app.exchange(.POST, path, headers: headers, body: ByteBuffer(string: body))
        absorb(response)
        return response
    }

    private mutating func absorb(_ response: HTTPReply) {
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = String(pair[0])
            let value = String(pair[1])
            if header.contains("Expires=Thu, 01 Jan 1970") || value.isEmpty {
                cookies[name] = nil
            } else {
                cookies[name] = value
            }
        }
        let html = response.body.string
        if let range = html.range(of: #"name="_csrf" value=""#) {
            csrf = String(html[range.upperBound...].prefix { $0 != "\"" })
        }
    }
}
