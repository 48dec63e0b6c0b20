import Synchronization
import Vapor

/// Runs `Router.tick` once a second while the server runs: offers time out, wrap-ups end and bounded waits give
/// way without anyone asking, on every instance that serves. Tests call `Router.tick` themselves, at the instants
/// they choose.
final class RoutingTicker: LifecycleHandler, Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    func didBootAsync(_ app: Application) async throws {
        let clock = app.clock
        let events = app.events
        let db = app.db
        let logger = app.logger
        task.withLock {
            $0 = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    // Only a serving process routes: a command run beside it (`daymaker token create`) does not.
                    guard app.running != nil else { continue }
                    do {
                        try await Router.tick(now: clock.now, events: events, on: db)
                    } catch {
                        logger.warning("Routing tick failed: \(String(reflecting: type(of: error)))")
                    }
                }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
    }
}
