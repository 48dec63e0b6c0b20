import Fluent
import Vapor

/// One handle on the default database per event loop, made at start-up for the route every contact calls:
/// `req.db` builds a new handle (a lock, the driver's wrapper, the pool's) on every use. A handle is only a way
/// to the event loop's connection pool, so one per loop serves every request on it; it logs with the
/// application's logger rather than the request's.
struct EventLoopDatabases: Sendable {
    private let handles: [ObjectIdentifier: any Database]

    init(_ app: Application) {
        var handles: [ObjectIdentifier: any Database] = [:]
        for eventLoop in app.eventLoopGroup.makeIterator() {
            handles[ObjectIdentifier(eventLoop)] = app.databases.database(logger: app.logger, on: eventLoop)
        }
        self.handles = handles
    }

    /// The handle for the request's event loop (`req.db` for a loop made after start-up).
    func database(for req: Request) -> any Database {
        handles[ObjectIdentifier(req.eventLoop)] ?? req.db
    }
}

extension Application {
    private struct EventLoopDatabasesKey: StorageKey { typealias Value = EventLoopDatabases }

    /// Set by `configure` once the databases are (see ``EventLoopDatabases``).
    var eventLoopDatabases: EventLoopDatabases? {
        get { storage[EventLoopDatabasesKey.self] }
        set { storage[EventLoopDatabasesKey.self] = newValue }
    }
}
