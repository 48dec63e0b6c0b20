import DaymakerCore
import Fluent
import Foundation

/// A bearer token for an integration. Only the SHA-256 of the token is stored.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "name") var name: String
    /// Space-separated `Scope` values.
    @Field(key: "scopes") var scopes: String
    @Field(key: "token_hash") var tokenHash: String
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    /// After this instant the token no longer works; nil: it works until revoked.
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(userID: UUID, name: String, scopes: Set<Scope>, tokenHash: String, expiresAt: Date?) {
        self.$user.id = userID
        self.name = name
        self.scopes = scopes.map(\.rawValue).sorted().joined(separator: " ")
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }

    var scopeSet: Set<Scope> { Set(scopes.split(separator: " ").compactMap { Scope(rawValue: String($0)) }) }
}

/// What a bearer token may do, on top of what its user's role allows.
///
/// `read` covers GET, `write` every other method, `admin` admin work. `telephony` is for a PBX or CTI system and
/// covers only the routes marked for it (`Route.allowsTelephony`): the recognition lookup today, contact events and
/// telephony webhooks later — never care notes, customers or anything else.
enum Scope: String, ClosedSet, Sendable {
    case read, write, admin, telephony
}
