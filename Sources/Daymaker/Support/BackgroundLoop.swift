import Synchronization
import Vapor

/// Work a serving process does on its own, every `interval` until it shuts down (a command run beside the server,
/// such as `daymaker token create`, does none). `work` is given the number of the round, from 1.
final class BackgroundLoop: LifecycleHandler, Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let interval: Duration
    private let work: @Sendable (Application, Int) async -> Void

    init(every interval: Duration, _ work: @escaping @Sendable (Application, Int) async -> Void) {
        self.interval = interval
        self.work = work
    }

    func didBootAsync(_ app: Application) async throws {
        let interval = interval
        let work = work
        task.withLock {
            $0 = Task {
                var round = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard app.running != nil, !Task.isCancelled else { continue }
                    round += 1
                    await work(app, round)
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
