import Fluent
import Vapor

/// Authenticates API requests by `Authorization: Bearer <token>` and checks the scope the method needs:
/// `read` for GET and HEAD, `write` for everything else; on routes marked for telephony, `telephony` also does.
/// An expired or revoked token is refused.
///
/// Future-based (see `SecurityHeadersMiddleware`): a token seen in the last few seconds is checked without a
/// task or a database round trip; only a cache miss, or recording when the token was last used, goes to the
/// database.
struct BearerAuthMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let bearer = request.headers.bearerAuthorization else {
            return request.eventLoop.makeFailedFuture(
                Problem.unauthorized("Send an API token as Authorization: Bearer <token>."))
        }
        let hash = SecureToken.hash(bearer.token)
        let cache = request.application.cached.principals
        let now = request.now
        if let entry = cache.value(for: hash, now: now), !Self.needsMarking(entry, now: now) {
            return request.eventLoop.makeCompletedFuture { try Self.admit(entry, request) }.flatMap {
                next.respond(to: request)
            }
        }
        return request.eventLoop.makeFutureWithTask {
            try await Self.authenticate(hash: hash, cache: cache, now: now, request: request)
        }.flatMap { next.respond(to: request) }
    }

    private static func authenticate(hash: String, cache: PrincipalCache, now: Date, request: Request) async throws {
        var entry = cache.value(for: hash, now: now)
        if entry == nil {
            let generation = cache.generation
            guard
                let token = try await APIToken.query(on: request.db)
                    .filter(\.$tokenHash == hash).filter(\.$revokedAt == nil).first(),
                let tokenID = token.id, token.expiresAt.map({ $0 > now }) ?? true,
                let principal = try await Principal.load(userID: token.$user.id, scopes: token.scopeSet, on: request.db)
            else {
                throw Problem.unauthorized(
                    "The API token is unknown, expired, revoked, or belongs to a deactivated user.")
            }
            // Remembered for a few seconds, never past the token's own expiry.
            let loaded = CachedPrincipal(principal: principal, tokenID: tokenID, lastUsedAt: token.lastUsedAt)
            cache.store(loaded, for: hash, now: now, notAfter: token.expiresAt, loadedAt: generation)
            entry = loaded
        }
        guard let entry else { throw Problem.unauthorized() }
        if needsMarking(entry, now: now) {
            cache.update(hash) { $0.lastUsedAt = now }
            // Written with the others that come at the same instant (fifty reps sitting down to a campaign): on
            // SQLite in one group, behind no one's transaction of its own (see `GroupedWrites`).
            let tokenID = entry.tokenID
            try await request.application.events.groupedWrite(on: request.db) { sql, _ in
                try await sql.update(APIToken.schema).set("last_used_at", to: now).where("id", .equal, tokenID).run()
            }
        }
        try admit(entry, request)
    }

    /// "Last used" is written at most once a minute per token.
    private static func needsMarking(_ entry: CachedPrincipal, now: Date) -> Bool {
        entry.lastUsedAt.map { now.timeIntervalSince($0) > 60 } ?? true
    }

    private static func admit(_ entry: CachedPrincipal, _ request: Request) throws {
        let needed: Scope = [.GET, .HEAD].contains(request.method) ? .read : .write
        if !(request.route?.allowsTelephony == true && entry.principal.allows(.telephony)) {
            try entry.principal.require(scope: needed)
        }
        request.principal = entry.principal
    }
}

extension Route {
    /// Marks a route a token with the `telephony` scope may call.
    @discardableResult
    func allowingTelephony() -> Route {
        userInfo["daymaker.telephony"] = true
        return self
    }

    var allowsTelephony: Bool { userInfo["daymaker.telephony"] as? Bool == true }
}

/// A signed-in browser session. The cookie holds the token; the database holds its hash.
final class UserSession: Model, @unchecked Sendable {
    static let schema = "user_sessions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(userID: UUID, tokenHash: String, expiresAt: Date) {
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}
