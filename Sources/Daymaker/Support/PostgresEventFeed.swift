import DaymakerCore
import FluentKit
import Foundation
import Logging
import PostgresNIO
import SQLKit
import Synchronization
import Vapor

/// Carries events between the instances that share a PostgreSQL database: `pg_notify` sends, a dedicated
/// connection `LISTEN`s and hands what other instances sent to this instance's hub. The channel is named after
/// the schema, so deployments sharing a server do not hear each other.
///
/// If the listening connection drops it reconnects every second; events sent meanwhile are lost, so on
/// reconnecting the hub gets `.feedInterrupted` and the caches start afresh.
final class PostgresEventFeed: Sendable {
    /// What travels in a notification: the event, and which instance sent it (an instance has already delivered
    /// its own events).
    private struct Message: Codable {
        var origin: UUID
        var event: DomainEvent
    }

    let channel: String
    private let origin = UUID()
    private let configuration: PostgresConnection.Configuration
    private let hub: EventHub
    private let logger: Logger
    private let listener = Mutex<Task<Void, Never>?>(nil)

    init(configuration: PostgresConnection.Configuration, schema: String?, hub: EventHub, logger: Logger) {
        self.configuration = configuration
        self.channel = "daymaker_events" + (schema.map { "_" + $0 } ?? "")
        self.hub = hub
        self.logger = logger
    }

    /// Starts listening and returns once the first attempt to listen has succeeded or failed (a failure is
    /// logged and retried in the background).
    func start() async {
        let (ready, signal) = AsyncStream<Void>.makeStream()
        let task = Task { await listen(signal) }
        listener.withLock { $0 = task }
        for await _ in ready {}
    }

    func stop() async {
        guard let task = listener.withLock({ $0 }) else { return }
        task.cancel()
        await task.value
    }

    /// Sends the events to the other instances, in one statement however many there are.
    func send(_ events: [DomainEvent], on db: any Database) async {
        guard !events.isEmpty else { return }
        do {
            let encoder = JSONEncoder()
            let payloads = try events.map {
                String(decoding: try encoder.encode(Message(origin: origin, event: $0)), as: UTF8.self)
            }
            guard let sql = db as? any SQLDatabase else { return }
            try await sql.raw(
                "SELECT pg_notify(\(bind: channel), payload) FROM unnest(\(bind: payloads)::text[]) AS payload"
            ).run()
        } catch {
            logger.warning(
                "Could not send an event to other instances", metadata: ["cause": "\(LogSafe.describe(error))"])
        }
    }

    private func listen(_ ready: AsyncStream<Void>.Continuation) async {
        var interrupted = false
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 0, logger: logger)
                do {
                    try await connection.listen(on: channel) { notifications in
                        ready.finish()
                        if interrupted {
                            logger.notice("Listening for other instances' events again")
                            hub.deliver(.feedInterrupted)
                        }
                        for try await notification in notifications { receive(notification.payload) }
                    }
                } catch {
                    if !Task.isCancelled {
                        logger.warning(
                            "Lost the event feed from other instances",
                            metadata: ["cause": "\(LogSafe.describe(error))"])
                    }
                }
                try? await connection.close()
            } catch {
                logger.warning(
                    "Could not listen for other instances' events", metadata: ["cause": "\(LogSafe.describe(error))"])
            }
            ready.finish()
            interrupted = true
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func receive(_ payload: String) {
        guard let message = try? JSONDecoder().decode(Message.self, from: Data(payload.utf8)) else {
            logger.warning("Ignored an event this version does not know")
            return
        }
        if message.origin != origin { hub.deliver(message.event) }
    }
}

/// Stops the feed when the application shuts down.
struct PostgresEventFeedShutdown: LifecycleHandler {
    let feed: PostgresEventFeed

    func shutdownAsync(_ application: Application) async { await feed.stop() }
}
