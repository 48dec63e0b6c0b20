import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct APITokenTests {
    @Test func aTokenMayExpireAndSaysWhen() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let (_, monthly) = try await APITokens.create(
                for: world.rep.user, name: "pbx", scopeNames: ["read"], expiresInDays: "30", actor: nil,
                now: app.clock.now, on: app.db)
            let me = try await app.send(.GET, "/api/v1/me", token: monthly)
            #expect(me.status == .ok)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: me.body)) as? [String: Any])
            #expect(body["email"] as? String == "rep@test.example")
            let token = try #require(body["token"] as? [String: Any])
            #expect(token["scopes"] as? [String] == ["read"])
            let expiresAt = try #require((token["expiresAt"] as? String).flatMap(ISO8601.parse))
            #expect(expiresAt == app.clock.now.addingTimeInterval(30 * 86_400))
            // A token without expiry says so with null.
            let forever = try JSONSerialization.jsonObject(
                with: Data(buffer: try await app.send(.GET, "/api/v1/me", token: world.rep.token).body))
            #expect(((forever as? [String: Any])?["token"] as? [String: Any])?["expiresAt"] is NSNull)

            // Made to last one day: it works until the day is over, then it is refused at once.
            let (_, daily) = try await APITokens.create(
                for: world.rep.user, name: "old", scopeNames: ["read"], expiresInDays: "1", actor: nil,
                now: app.clock.now, on: app.db)
            app.manualClock.advance(by: 86_400 - 1)
            #expect(try await app.send(.GET, "/api/v1/me", token: daily).status == .ok)
            app.manualClock.advance(by: 1)
            let refused = try await app.send(.GET, "/api/v1/me", token: daily)
            #expect(refused.status == .unauthorized)
            #expect(try refused.problem().detail.contains("expired"))

            let tooShort = await #expect(throws: ValidationFailure.self) {
                _ = try await APITokens.create(
                    for: world.rep.user, name: "bad", scopeNames: ["read"], expiresInDays: "0", actor: nil,
                    now: app.clock.now, on: app.db)
            }
            #expect(tooShort?.fields == ["expiresIn"])
            var admin = try await BrowserSession.start(app, email: "admin@test.example")
            let page = try await admin.get(app, "/admin/tokens").body.string
            // The audit trail names users by id, never by email address.
            let details = try await AuditEntry.query(on: app.db).all().map(\.detail)
            #expect(details.contains { $0.hasPrefix("for user \(world.rep.id.uuidString); scopes read; expires ") })
            #expect(!details.contains { $0.contains("@") })
            #expect(page.contains("Expires (UTC)"))
            #expect(page.contains(#"<span class="tag warn">expired</span>"#))
        }
    }

    /// When a token was last used is written at most once a minute, also when many requests bring it at once.
    @Test func aTokensLastUseIsWrittenAtMostOnceAMinute() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let (stored, token) = try await APITokens.create(
                for: world.rep.user, name: "desk", scopeNames: ["read"], expiresInDays: nil, actor: nil,
                now: app.clock.now, on: app.db)
            func lastUsed() async throws -> Date? {
                try await APIToken.find(stored.requireID(), on: app.db)?.lastUsedAt
            }
            #expect(try await lastUsed() == nil)
            let first = app.clock.now
            let answers = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<20 { group.addTask { try await app.send(.GET, "/api/v1/me", token: token).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(answers == Array(repeating: .ok, count: 20))
            #expect(try await lastUsed() == first)
            app.manualClock.advance(by: 60)
            #expect(try await app.send(.GET, "/api/v1/me", token: token).status == .ok)
            #expect(try await lastUsed() == first)
            app.manualClock.advance(by: 1)
            #expect(try await app.send(.GET, "/api/v1/me", token: token).status == .ok)
            #expect(try await lastUsed() == app.clock.now)
        }
    }

    @Test func aTelephonyTokenMayOnlyRecogniseCallers() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let (_, pbx) = try await APITokens.create(
                for: world.rep.user, name: "pbx", scopeNames: ["telephony"], actor: nil, now: app.clock.now, on: app.db)
            let card = try await app.send(.GET, "/api/v1/recognition?program=RIDE&phone=%2B13125550142", token: pbx)
            #expect(card.status == .ok)
            #expect(try card.json(RecognitionResponse.self).matches.map(\.customer.name) == ["John Miller"])
            let customer = world.rideCustomer.id!
            let note = world.rideCareNote.id!
            let refused = [
                try await app.send(.GET, "/api/v1/customers/\(customer)", token: pbx),
                try await app.send(.GET, "/api/v1/customers/\(customer)/care-notes", token: pbx),
                try await app.send(.PATCH, "/api/v1/care-notes/\(note)", token: pbx, json: #"{"guidance":"Changed"}"#),
                try await app.send(.POST, "/api/v1/care-notes/\(note)/retire", token: pbx, json: "{}"),
                try await app.send(.GET, "/api/v1/customers?q=john", token: pbx),
            ]
            #expect(refused.map(\.status) == Array(repeating: .forbidden, count: refused.count))
            #expect(try await CareNote.find(note, on: app.db)?.guidance == world.rideCareNote.guidance)
        }
    }
}
