import DaymakerCore
import Vapor

/// The application's short-lived caches, made once in `configure`, and what each event makes them forget.
/// Lifetimes bound how stale a value can be if an event is lost (another instance on SQLite, a command run
/// against a server that is not listening); with events, a change shows on the next request.
struct ShortLivedCaches: Sendable {
    let principals = PrincipalCache(lifetime: 10)
    let programs = RecognitionContextCache(lifetime: 10)
    let repNames = RepNameCache(lifetime: 60, capacity: 50_000)
    let rosters = RosterCache(lifetime: 10)
    let routingSettings = RoutingSettingsCache(lifetime: 10)

    func forget(_ event: DomainEvent) {
        switch event {
        case .userChanged(let id):
            principals.remove { _, cached in cached.principal.userID == id }
            repNames.remove { rep, _ in rep == id }
            // A user's names, skills, programs or being active: any program's roster may hold them.
            rosters.removeAll()
        case .tokenRevoked(let id):
            principals.remove { _, cached in cached.tokenID == id }
        case .programChanged(let id):
            programs.remove { _, context in context.id == id }
            routingSettings.remove { program, _ in program == id }
        case .presenceChanged, .offerChanged, .queueChanged, .messageLeft, .campaignChanged:
            break
        case .feedInterrupted:
            principals.removeAll()
            programs.removeAll()
            repNames.removeAll()
            rosters.removeAll()
            routingSettings.removeAll()
        }
    }
}

extension Application {
    private struct ShortLivedCachesKey: StorageKey { typealias Value = ShortLivedCaches }

    /// Set by `configure`, which also subscribes them to `events`.
    var cached: ShortLivedCaches {
        get {
            guard let caches = storage[ShortLivedCachesKey.self] else {
                fatalError("configure(_:config:) makes the caches")
            }
            return caches
        }
        set { storage[ShortLivedCachesKey.self] = newValue }
    }
}
