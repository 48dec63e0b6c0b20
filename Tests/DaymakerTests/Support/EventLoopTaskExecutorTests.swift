import NIOCore
import NIOPosix
import Testing
import Vapor

@testable import Daymaker

/// The recognition route runs its task on the request's event loop, so awaiting the database never changes threads.
@Suite struct EventLoopTaskExecutorTests {
    @Test func theTaskStaysOnTheRequestsEventLoopAcrossAwaits() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let app = try await Application.make(.testing, .shared(group))
        let loops = Array(group.makeIterator())
        let request = Request(application: app, on: loops[0])
        let seen = try await request.onEventLoop { () async throws -> [Bool] in
            var seen = [loops[0].inEventLoop]
            // Work finished on another loop hands control back to the request's loop.
            try await loops[1].submit {}.get()
            seen.append(loops[0].inEventLoop)
            await Task.yield()
            seen.append(loops[0].inEventLoop)
            return seen
        }.get()
        #expect(seen == [true, true, true])
        // Errors reach the future.
        await #expect(throws: Problem.self) {
            try await request.onEventLoop { () async throws -> Int in throw Problem.notFound("x") }.get()
        }
        try await app.asyncShutdown()
        try await group.shutdownGracefully()
    }
}
