import NIOConcurrencyHelpers
import NIOPosix
import Vapor

#if canImport(Glibc)
import Glibc
#endif

/// Where the background loops' long reads run on SQLite (counting a busy week's contacts for insights): a thread of
/// their own, started on first use, at a lower priority than the requests'.
///
/// Such a read runs on the calling thread without a pause (see `SQLiteWriter.read`): on one of the few threads
/// that run every request's tasks it took that thread for half a second at a time, and on a small server the
/// requests that came meanwhile (reps claiming their next call) waited for the core it held. Here it takes what
/// the requests leave. It never holds the writer: its writes run as everyone's do.
final class BackgroundReads: Sendable {
    private let started = NIOLockedValueBox<(group: MultiThreadedEventLoopGroup, executor: EventLoopTaskExecutor)?>(
        nil)

    /// Runs `body` on the thread.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor()) { try await body() }
    }

    private func executor() -> EventLoopTaskExecutor {
        started.withLockedValue { started in
            if let started { return started.executor }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let eventLoop = group.next()
            eventLoop.execute { Self.lowerPriority() }
            started = (group, EventLoopTaskExecutor(eventLoop))
            return started!.executor
        }
    }

    /// Niceness 10 for the calling thread (on Linux niceness is a thread's own, and 0 names the calling one).
    private static func lowerPriority() {
        #if canImport(Glibc)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }

    /// Stops the thread (at shutdown).
    func shutdown() async {
        let group = started.withLockedValue { started in
            defer { started = nil }
            return started?.group
        }
        try? await group?.shutdownGracefully()
    }
}

/// Stops the background reads' thread when the application stops.
struct BackgroundReadsShutdown: LifecycleHandler {
    let reads: BackgroundReads
    func shutdownAsync(_ application: Application) async { await reads.shutdown() }
}
