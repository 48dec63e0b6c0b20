import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct CardReadsTests {
    /// With PostgreSQL unreachable, the card's read fails with the connection error (a 500 for the caller) rather
    /// than leaving a promise unfulfilled, which stops a debug build and leaks in a release one.
    @Test func aCardReadFailsCleanlyWhenNoConnectionCanBeHad() async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        var config = try AppConfig(environment: ["DAYMAKER_SESSION_SECRET": "test-secret-test-secret-test-secret-42"])
        // Port 9 (discard) has no server here: every connection attempt is refused at once.
        config.database = .postgres(url: "postgres://daymaker:daymaker@127.0.0.1:9/daymaker", poolSize: 2)
        do {
            try await configure(app, config: config)
            let window = CardReads.Window(since: World.now.addingTimeInterval(-90 * 86_400), atLeast: 5, atMost: 50)
            await #expect(throws: (any Error).self) {
                _ = try await app.cardSources.reads.people(
                    .ids([UUID()]), window: window, bookings: RecognitionCard.upcomingBookings(now: World.now),
                    on: app.db)
            }
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
