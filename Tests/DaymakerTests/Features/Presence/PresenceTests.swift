import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// Presence (set on the desk or over the API, every change logged) and weekly shifts in the program's zone.
@Suite struct PresenceTests {
    static func put(
        _ app: Application, _ user: UUID, _ state: String, as token: String
    ) async throws
        -> TestingHTTPResponse
    {
        try await app.send(.PUT, "/api/v1/users/\(user)/presence", token: token, json: #"{"state":"\#(state)"}"#)
    }

    static func board(_ app: Application, as token: String) async throws -> [PresenceBoardEntry] {
        try await app.send(.GET, "/api/v1/presence?program=RIDE", token: token).json(ItemPage<PresenceBoardEntry>.self)
            .items
    }

    @Test func aRepSetsTheirPresenceAndEveryChangeIsLogged() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let start = app.clock.now
            #expect(
                try await Self.board(app, as: world.supervisor.token).first { $0.userId == world.rep.id }?.state
                    == .offline)

            let available = try await Self.put(app, world.rep.id, "available", as: world.rep.token)
            #expect(available.status == .ok)
            #expect(
                try available.json(PresenceDTO.self)
                    == PresenceDTO(userID: world.rep.id, state: .available, since: start))
            app.manualClock.advance(by: 60)
            // The same state again is no change: nothing logged, "since" kept.
            let again = try await Self.put(app, world.rep.id, "available", as: world.rep.token)
            #expect(try again.json(PresenceDTO.self).since == start)
            app.manualClock.advance(by: 240)
            #expect(try await Self.put(app, world.rep.id, "away", as: world.rep.token).status == .ok)

            let entry = try #require(
                try await Self.board(app, as: world.supervisor.token).first { $0.userId == world.rep.id })
            #expect(entry.state == .away)
            #expect(entry.since == start.addingTimeInterval(300))
            #expect(entry.displayName == world.rep.user.displayName)
            let log = try await PresenceChange.query(on: app.db).filter(\.$user.$id == world.rep.id).sort(\.$at).all()
            #expect(log.map(\.state) == [.available, .away])
            #expect(log.map(\.at) == [start, start.addingTimeInterval(300)])
            #expect(log.map(\.changedBy) == [world.rep.id, world.rep.id])
        }
    }

    @Test func busyAndWrapUpFollowContactsAndCannotBeChosen() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            for state in ["busy", "wrap-up"] {
                let refused = try await Self.put(app, world.rep.id, state, as: world.rep.token)
                #expect(try refused.problem().errors?.map(\.field) == ["state"])
            }
            let unknown = try await Self.put(app, world.rep.id, "lunch", as: world.rep.token)
            let problem = try unknown.problem()
            #expect(problem.errors?.map(\.field) == ["state"])
            #expect(problem.errors?.first?.detail.contains("available, busy, wrap-up, away, offline") == true)
            #expect(try await PresenceChange.query(on: app.db).count() == 0)
        }
    }

    @Test func aSupervisorMaySendARepAwayButNotMakeThemAvailable() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            #expect(try await Self.put(app, world.rep.id, "available", as: world.rep.token).status == .ok)
            let away = try await Self.put(app, world.rep.id, "away", as: world.supervisor.token)
            #expect(away.status == .ok)
            let change = try await PresenceChange.query(on: app.db).sort(\.$at).sort(\.$state).all().last
            #expect(change?.changedBy == world.supervisor.id)
            #expect(try await Self.put(app, world.rep.id, "available", as: world.supervisor.token).status == .forbidden)
            // Outside the supervisor's programs, and another rep for a rep: not even there.
            #expect(try await Self.put(app, world.helpRep.id, "away", as: world.supervisor.token).status == .notFound)
            #expect(try await Self.put(app, world.supervisor.id, "away", as: world.rep.token).status == .notFound)
            #expect(try await Self.put(app, world.helpRep.id, "offline", as: world.admin.token).status == .ok)
        }
    }

    @Test func shiftsAreKeptInTheProgramsZoneAndTellWhenTheRepIsBack() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            // Weekdays 09:00–17:00 and a Saturday night shift into Sunday, in Chicago.
            let week =
                (1...5).map { #"{"weekday":\#($0),"start":"09:00","end":"17:00"}"# }
                + [#"{"weekday":6,"start":"22:00","end":"06:00"}"#]
            let body = #"{"program":"RIDE","shifts":[\#(week.joined(separator: ","))]}"#
            let path = "/api/v1/users/\(world.rep.id)/shifts"
            #expect(try await app.send(.PUT, path, token: world.rep.token, json: body).status == .forbidden)
            let saved = try await app.send(.PUT, path, token: world.supervisor.token, json: body)
            #expect(saved.status == .ok)
            let shifts = try saved.json(ShiftsDTO.self)
            #expect(shifts.shifts.count == 6)
            #expect(shifts.shifts.last == ShiftDTO(weekday: 6, start: "22:00", end: "06:00"))
            #expect(shifts.timeZone == "America/Chicago")
            // World.now is Wednesday 09:30 in Chicago (15:30 UTC): on shift until 17:00 there, 23:00 UTC.
            #expect(shifts.onShift)
            #expect(shifts.shift?.end == Self.utc("2026-11-18T23:00:00Z"))

            app.manualClock.advance(by: 8 * 3600)  // 17:30 in Chicago: back tomorrow at 09:00, 15:00 UTC
            let read = try await app.send(.GET, path + "?program=RIDE", token: world.rep.token).json(ShiftsDTO.self)
            #expect(!read.onShift)
            #expect(read.shift?.start == Self.utc("2026-11-19T15:00:00Z"))
            let entry = try #require(try await Self.board(app, as: world.rep.token).first { $0.userId == world.rep.id })
            #expect(entry.onShift == false)
            #expect(entry.shift == read.shift)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "shifts.changed").count()
            #expect(audit == 1)
        }
    }

    @Test func aShiftThatCannotBeReadIsRefusedWithItsField() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let path = "/api/v1/users/\(world.rep.id)/shifts"
            try await app.send(
                .PUT, path, token: world.supervisor.token,
                json: #"{"program":"RIDE","shifts":[{"weekday":1,"start":"09:00","end":"17:00"}]}"#)
            let bad = try await app.send(
                .PUT, path, token: world.supervisor.token,
                json:
                    #"{"program":"RIDE","shifts":[{"weekday":8,"start":"09:00","end":"17:00"},{"weekday":2,"start":"9am","end":"17:00"},{"weekday":3,"start":"09:00","end":"24:01"},{"weekday":4,"start":"10:00","end":"10:00"}]}"#
            )
            #expect(
                try bad.problem().errors?.map(\.field) == [
                    "shifts[0]", "shifts[1].start", "shifts[2].end", "shifts[3]",
                ])
            // Nothing of the refused week replaced the stored one.
            let kept = try await app.send(.GET, path + "?program=RIDE", token: world.supervisor.token)
                .json(ShiftsDTO.self)
            #expect(kept.shifts == [ShiftDTO(weekday: 1, start: "09:00", end: "17:00")])
            // A program the supervisor is not in, and one the rep is not in.
            let other = try await app.send(
                .PUT, path, token: world.admin.token, json: #"{"program":"HELP","shifts":[]}"#)
            #expect(try other.problem().errors?.map(\.field) == ["userId"])
            let hidden = try await app.send(.GET, path + "?program=HELP", token: world.supervisor.token)
            #expect(hidden.status == .notFound)
        }
    }

    static func utc(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }
}
