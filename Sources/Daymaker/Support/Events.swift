import DaymakerCore
import FluentKit
import SQLKit
import Vapor

/// Where changes are published. Every instance delivers an event to its own subscribers at once; on PostgreSQL
/// the `feed` also carries it to the other instances on the same database (`NOTIFY`), on SQLite (one instance)
/// there is nothing to carry.
struct Events: Sendable {
    let hub: EventHub
    let feed: PostgresEventFeed?
    /// On SQLite, the connection groups of contact events are written on (see `SQLiteWriter`).
    let sqliteWriter: SQLiteWriter?
    /// Routing passes, one at a time per program and shared by whoever asks meanwhile (see `RoutingPasses`).
    let routingPasses = RoutingPasses()
    /// How long routing decisions take (see `RoutingTimings`).
    let routingTimings = RoutingTimings()
    /// The programs' members as routing sees them (the instance `ShortLivedCaches` forgets on user changes).
    let rosters: RosterCache
    /// The programs' routing settings (the instance `ShortLivedCaches` forgets when they are saved).
    let routingSettings: RoutingSettingsCache
    /// Live pages' channels (see `LiveSocket`).
    let liveChannels = LiveChannels()
    /// Contact events, written in groups (see `ContactEventWriter`).
    let contactEvents = ContactEventWriter()
    /// Claims and outcomes of campaign calls, written in groups on SQLite (see `GroupedWrites`).
    let groupedWrites = GroupedWrites()
    /// The background loops' long reads on SQLite (see `BackgroundReads`).
    let backgroundReads = BackgroundReads()
    /// Whether an SMTP server is configured: email contacts that arrive during an incident are answered.
    var mailConfigured = false

    /// A short, hot write transaction (a group of contact events, a claim): on SQLite on the writer's connection,
    /// whose compiled statements are kept (see `SQLiteWriter`), on PostgreSQL an ordinary one. `body` is given the
    /// transaction's statements, and a database to read what the transaction never changes.
    func writeTransaction<T: Sendable>(
        on db: any Database, _ body: @escaping @Sendable (any SQLDatabase, any Database) async throws -> T
    ) async throws -> T {
        if let writer = sqliteWriter { return try await writer.transaction { sql in try await body(sql, db) } }
        return try await db.writeTransaction { db in try await body(try db.sqlDatabase, db) }
    }

    /// A long read of a background loop (counting a busy day's contacts): on SQLite on a read-only connection of its
    /// own, whose rows come back on the calling thread instead of each through the thread pool and an event loop
    /// that serves requests, on a thread of its own (see `BackgroundReads`); on PostgreSQL on `db`.
    func backgroundRead<T: Sendable>(
        on db: any Database, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        if let writer = sqliteWriter {
            return try await backgroundReads.run { try await writer.read { sql, _ in try await body(sql) } }
        }
        return try await body(try db.sqlDatabase)
    }

    /// A write transaction that many callers run at the same instant (fifty reps claiming their next call): on
    /// SQLite written in a group with the others waiting (see `GroupedWrites`), each undone alone when it throws; on
    /// PostgreSQL an ordinary transaction. Never from inside a write transaction.
    func groupedWrite<T: Sendable>(
        on db: any Database, _ body: @escaping @Sendable (any SQLDatabase, any Database) async throws -> T
    ) async throws -> T {
        if let writer = sqliteWriter { return try await groupedWrites.run(on: writer, reading: db, body) }
        return try await db.writeTransaction { db in try await body(try db.sqlDatabase, db) }
    }

    /// Publishes a committed change: call it after the transaction, never inside (a subscriber that reloads at
    /// once must see the change). A feed that cannot send is logged, not thrown: the change is stored, and other
    /// instances' caches catch up within their lifetimes.
    func publish(_ event: DomainEvent, on db: any Database) async {
        await publish([event], on: db)
    }

    /// Publishes several committed changes at once (to other instances in one statement).
    func publish(_ events: [DomainEvent], on db: any Database) async {
        for event in events { hub.deliver(event) }
        await feed?.send(events, on: db)
    }
}

extension Application {
    private struct EventsKey: StorageKey { typealias Value = Events }

    /// Set by `configure`.
    var events: Events {
        get {
            guard let events = storage[EventsKey.self] else { fatalError("configure(_:config:) makes the event hub") }
            return events
        }
        set { storage[EventsKey.self] = newValue }
    }
}

extension Request {
    /// Publishes a committed change (see `Events.publish`).
    func publish(_ event: DomainEvent) async {
        await application.events.publish(event, on: db)
    }
}
