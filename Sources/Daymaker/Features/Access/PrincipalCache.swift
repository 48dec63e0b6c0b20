import DaymakerCore
import Foundation

/// Who a bearer token belongs to, remembered for a few seconds so busy integrations (a PBX asking for a
/// recognition card on every call) cost one dictionary look-up instead of three queries per request. Keyed by the
/// token's hash; forgotten at once when the token is revoked or its user changes (see `ShortLivedCaches`).
struct CachedPrincipal: Sendable {
    let principal: Principal
    let tokenID: UUID
    var lastUsedAt: Date?
}

typealias PrincipalCache = TTLCache<String, CachedPrincipal>
