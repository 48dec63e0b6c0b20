import Foundation
import Synchronization
import Testing

@testable import Daymaker

@Suite struct RoutingPassesTests {
    final class Counter: Sendable {
        let state = Mutex((passes: 0, inFlight: 0, mostInFlight: 0, asking: 0))
        /// The first pass runs until this many callers are about to ask (however slowly the machine starts them).
        let holdFor: Int

        init(holdFor: Int = 0) { self.holdFor = holdFor }

        func asking() { state.withLock { $0.asking += 1 } }

        func pass() async throws -> [Offer] {
            let first = state.withLock {
                $0.passes += 1
                $0.inFlight += 1
                $0.mostInFlight = max($0.mostInFlight, $0.inFlight)
                return $0.passes == 1
            }
            while first && state.withLock({ $0.asking }) < holdFor { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(100))
            state.withLock { $0.inFlight -= 1 }
            return []
        }
    }

    /// Thirty callers at once: the first runs a pass, everyone who asks while it runs shares the one queued behind
    /// it, and passes over a program never overlap.
    @Test func callersWhileAPassRunsShareTheNextOne() async throws {
        let passes = RoutingPasses()
        let counter = Counter(holdFor: 29)
        let program = UUID()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await passes.route(program, pass: counter.pass) }
            try await Task.sleep(for: .milliseconds(20))
            for _ in 1...29 {
                group.addTask {
                    counter.asking()
                    _ = try await passes.route(program, pass: counter.pass)
                }
            }
            try await group.waitForAll()
        }
        #expect(counter.state.withLock { $0.passes } == 2)
        #expect(counter.state.withLock { $0.mostInFlight } == 1)
        // Another program's pass does not wait for this one's; a later caller gets a pass of its own.
        let other = Counter()
        async let first: [Offer] = passes.route(program, pass: counter.pass)
        async let second: [Offer] = passes.route(UUID(), pass: other.pass)
        _ = try await (first, second)
        #expect(counter.state.withLock { $0.passes } == 3)
        #expect(other.state.withLock { $0.passes } == 1)
    }

    struct Failed: Error {}

    @Test func aPassThatFailsFailsForEveryoneWhoSharedIt() async throws {
        let passes = RoutingPasses()
        let program = UUID()
        let slow = Counter()
        async let running: [Offer] = passes.route(program, pass: slow.pass)
        try await Task.sleep(for: .milliseconds(20))
        let failing: @Sendable () async throws -> [Offer] = { throw Failed() }
        let shared = (1...2).map { _ in Task { try await passes.route(program, pass: failing) } }
        _ = try await running
        for task in shared { await #expect(throws: Failed.self) { _ = try await task.value } }
        // The failure is not kept: the next caller's pass runs.
        #expect(try await passes.route(program, pass: slow.pass).isEmpty)
        #expect(slow.state.withLock { $0.passes } == 2)
    }
}
