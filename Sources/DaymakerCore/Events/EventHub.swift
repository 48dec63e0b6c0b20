import Foundation
import Synchronization

/// Delivers each published event to every subscriber in this process. Subscribers run on the publisher's task,
/// so they must be quick (a cache forgetting entries); slow work reads `events()` instead.
public final class EventHub: Sendable {
    public typealias Handler = @Sendable (DomainEvent) -> Void

    /// Keeps a subscription alive; `cancel()` ends it.
    public struct Subscription: Sendable {
        fileprivate let id: UUID
        fileprivate weak var hub: EventHub?

        public func cancel() { hub?.handlers.withLock { $0[id] = nil } }
    }

    private let handlers = Mutex<[UUID: Handler]>([:])

    public init() {}

    @discardableResult
    public func subscribe(_ handler: @escaping Handler) -> Subscription {
        let id = UUID()
        handlers.withLock { $0[id] = handler }
        return Subscription(id: id, hub: self)
    }

    /// Every event from now on, until the consumer stops iterating (bounded: a consumer that falls 1,000 events
    /// behind loses the oldest).
    public func events() -> AsyncStream<DomainEvent> {
        let (stream, continuation) = AsyncStream<DomainEvent>.makeStream(bufferingPolicy: .bufferingNewest(1_000))
        let subscription = subscribe { continuation.yield($0) }
        continuation.onTermination = { _ in subscription.cancel() }
        return stream
    }

    /// Hands the event to this process's subscribers.
    public func deliver(_ event: DomainEvent) {
        for handler in handlers.withLock({ Array($0.values) }) { handler(event) }
    }
}
