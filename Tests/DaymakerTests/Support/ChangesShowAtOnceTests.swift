import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

/// The caches keep a token's principal, a program's settings and reps' names for seconds; a change must still show
/// on the very next request. The clock never moves in these tests, so only the change's event can empty a cache.
@Suite struct ChangesShowAtOnceTests {
    static let card = "/api/v1/recognition?program=RIDE&phone=312.555.0142"

    static func patch(_ app: Application, _ path: String, _ json: String, as account: World.Account) async throws {
        let response = try await app.send(.PATCH, path, token: account.token, json: json)
        #expect(response.status == .ok, "\(path): \(response.body.string)")
    }

    @Test func aTokenIsRefusedAsSoonAsItsUserIsDeactivatedEvenWithRequestsInFlight() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            #expect(try await app.send(.GET, "/api/v1/me", token: world.rep.token).status == .ok)
            // Twenty requests with the rep's token race the admin's change; none may put the old principal back.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask { _ = try await app.send(.GET, "/api/v1/me", token: world.rep.token) }
                }
                group.addTask {
                    try await Self.patch(
                        app, "/api/v1/users/\(world.rep.id.lowercaseText)", #"{"active": false}"#, as: world.admin)
                }
                try await group.waitForAll()
            }
            for _ in 0..<3 {
                #expect(try await app.send(.GET, "/api/v1/me", token: world.rep.token).status == .unauthorized)
            }
        }
    }

    @Test func aUserTakenOutOfAProgramLosesItAtOnce() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            #expect(try await app.send(.GET, Self.card, token: world.rep.token).status == .ok)
            try await Self.patch(
                app, "/api/v1/users/\(world.rep.id.lowercaseText)", #"{"programs": ["HELP"]}"#, as: world.admin)
            #expect(try await app.send(.GET, Self.card, token: world.rep.token).status == .notFound)
        }
    }

    @Test func aTokenRevokedOnTheAdminPageIsRefusedAtOnce() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            #expect(try await app.send(.GET, "/api/v1/me", token: world.rep.token).status == .ok)
            let token = try #require(try await APIToken.query(on: app.db).filter(\.$user.$id == world.rep.id).first())
            var admin = try await BrowserSession.start(app, email: "admin@test.example")
            let revoked = try await admin.post(app, "/admin/tokens/\(try token.requireID())/revoke", form: [:])
            #expect(revoked.status == .seeOther)
            #expect(try await app.send(.GET, "/api/v1/me", token: world.rep.token).status == .unauthorized)
        }
    }

    @Test func settingsProgramAndNameChangesShowOnTheNextCard() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            try await RecognitionAPITests.history(app, customer: world.rideCustomer, daysAgo: [1], rep: world.rep.id)
            func card() async throws -> RecognitionCard {
                let response = try await app.send(.GET, Self.card, token: world.rep.token)
                return try #require(try response.json(RecognitionResponse.self).matches.first)
            }
            #expect(try await card().lastContacts.first?.rep == "Rep")

            let settings = "/api/v1/programs/\(world.ride.id!.lowercaseText)/recognition-settings"
            let put = try await app.send(
                .PUT, settings, token: world.supervisor.token,
                json: #"{"greeting": "Hello {name}, {program} here, {rep} speaking."}"#)
            #expect(put.status == .ok)
            #expect(try await card().greeting == "Hello John, Ride Line here, Rep speaking.")

            try await Self.patch(
                app, "/api/v1/programs/\(world.ride.id!.lowercaseText)", #"{"name": "Ride Line North"}"#,
                as: world.admin)
            #expect(try await card().greeting == "Hello John, Ride Line North here, Rep speaking.")

            try await Self.patch(
                app, "/api/v1/users/\(world.rep.id.lowercaseText)", #"{"displayName": "Sam"}"#, as: world.admin)
            let renamed = try await card()
            #expect(renamed.greeting == "Hello John, Ride Line North here, Sam speaking.", "the reader's own name")
            #expect(renamed.lastContacts.first?.rep == "Sam", "the name on past contacts")
        }
    }

    /// Two instances on one PostgreSQL database: a change made through one is heard by the other through
    /// `LISTEN/NOTIFY`. (On SQLite Daymaker runs as one instance.)
    @Test(.enabled(if: testingOnPostgres)) func anotherInstanceHearsTheChange() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let other = try await Application.make(.testing)
            do {
                other.clock = ManualClock(World.now)
                try await configure(other, config: app.config)
                other.logger.logLevel = .warning
                #expect(try await app.send(.GET, "/api/v1/me", token: world.rep.token).status == .ok)
                #expect(try await app.send(.GET, Self.card, token: world.rep.token).status == .ok)
                try await Self.patch(
                    other, "/api/v1/users/\(world.rep.id.lowercaseText)", #"{"programs": ["HELP"]}"#, as: world.admin)
                // The notification takes a moment to cross; without it the card would stay open (the clock stands still).
                var status = HTTPStatus.ok
                for _ in 0..<50 where status == .ok {
                    try await Task.sleep(for: .milliseconds(100))
                    status = try await app.send(.GET, Self.card, token: world.rep.token).status
                }
                #expect(status == .notFound)
                try await other.asyncShutdown()
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
        }
    }

    /// What one instance publishes together (a group of contact events' changes) is sent in one statement and
    /// heard by the other, every change of it, in order.
    @Test(.enabled(if: testingOnPostgres)) func changesPublishedTogetherAreEachHeard() async throws {
        try await withApp { app in
            let other = try await Application.make(.testing)
            do {
                other.clock = ManualClock(World.now)
                try await configure(other, config: app.config)
                other.logger.logLevel = .warning
                let (queue, rep, offerRep) = (UUID(), UUID(), UUID())
                let sent: [DomainEvent] = [.queueChanged(queue), .presenceChanged(rep), .offerChanged(offerRep)]
                let received = try await Self.firstEvents(3, from: app.events.hub.events(), within: .seconds(10)) {
                    await other.events.publish(sent, on: other.db)
                }
                #expect(received == sent)
                try await other.asyncShutdown()
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
        }
    }

    /// The listening connection dies (a failover, an admin's `pg_terminate_backend`): the feed reconnects, tells
    /// the caches that events may have been missed, and hears other instances again.
    @Test(.enabled(if: testingOnPostgres)) func theFeedReconnectsAndTheCachesStartAfresh() async throws {
        try await withApp { app in
            let feed = try #require(app.events.feed)
            let events = app.events.hub.events()
            let terminated = try await app.db.sqlDatabase.raw(
                """
                SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
                WHERE query LIKE \(bind: "LISTEN \"\(feed.channel)\"%")
                """
            ).all().count
            #expect(terminated == 1)
            let program = UUID()
            let message =
                #"{"origin":"\#(UUID().uuidString)","event":{"programChanged":{"_0":"\#(program.uuidString)"}}}"#
            let received = try await Self.firstEvents(2, from: events, within: .seconds(10)) {
                // Sent until the reconnected listener hears it.
                for _ in 0..<100 {
                    try await app.db.sqlDatabase.raw("SELECT pg_notify(\(bind: feed.channel), \(bind: message))").run()
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            #expect(received == [.feedInterrupted, .programChanged(program)])
        }
    }

    /// The first `count` distinct events on `stream` while `action` runs, or fewer when `limit` passes first.
    static func firstEvents(
        _ count: Int, from stream: AsyncStream<DomainEvent>, within limit: Duration,
        while action: @escaping @Sendable () async throws -> Void
    ) async throws -> [DomainEvent] {
        try await withThrowingTaskGroup(of: [DomainEvent]?.self) { group in
            group.addTask {
                var seen: [DomainEvent] = []
                for await event in stream where !seen.contains(event) {
                    seen.append(event)
                    if seen.count == count { break }
                }
                return seen
            }
            group.addTask {
                try? await action()
                return nil
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return []
            }
            var result: [DomainEvent] = []
            for try await outcome in group {
                guard let outcome else { continue }
                result = outcome
                break
            }
            group.cancelAll()
            return result
        }
    }
}
