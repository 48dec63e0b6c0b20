import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// Insights' roll-ups stay equal to a count from the contacts themselves — after late events, a contact moved to
/// another rep, a repeat that makes an earlier contact not resolved the first time, and a changed target — and the
/// API gives them with their definitions' numbers.
@Suite(.timeLimit(.minutes(5))) struct InsightRollupTests {
    /// A RIDE contact that arrived `hoursAgo`: answered after `wait` seconds (or abandoned then), talked `talk`,
    /// wrapped up `wrap` seconds after the end.
    @discardableResult
    static func contact(
        _ app: Application, _ world: World, hoursAgo: Double, wait: Double?, talk: Double? = nil,
        wrap: Double? = nil, abandoned: Bool = false, rep: UUID? = nil, customer: UUID? = nil,
        reason: String? = nil, channel: Contact.Channel = .voice, wellbeing: Contact.Wellbeing? = nil,
        rootCauses: String? = nil
    ) async throws -> Contact {
        let contact = Contact()
        contact.$program.id = world.ride.id!
        contact.$customer.id = customer
        contact.channel = channel
        contact.direction = .inbound
        contact.fromAddress = channel == .email ? "someone@example.com" : "+13125550142"
        contact.toAddress = "+13125550100"
        contact.arrivedAt = app.clock.now.addingTimeInterval(-hoursAgo * 3600)
        if abandoned {
            contact.status = .abandoned
            contact.endedAt = contact.arrivedAt.addingTimeInterval(wait ?? 0)
        } else if let wait {
            contact.answeredAt = contact.arrivedAt.addingTimeInterval(wait)
            contact.$rep.id = rep
            if let talk {
                contact.status = .ended
                contact.endedAt = contact.answeredAt!.addingTimeInterval(talk)
                contact.wrappedAt = wrap.map { contact.endedAt!.addingTimeInterval($0) }
            } else {
                contact.status = .connected
            }
        } else {
            contact.status = .queued
        }
        contact.reason = reason
        contact.wellbeing = wellbeing
        contact.rootCauses = rootCauses
        try await contact.create(on: app.db)
        return contact
    }

    /// The count from the contacts themselves (read as models, each repeat looked for among all the program's
    /// contacts): per day, per rep, per hour and channel, and the root causes named in wrap-up.
    struct Recount: Equatable {
        var byDay: [String: ContactCounters] = [:]
        var byRep: [UUID: ContactCounters] = [:]
        var byHour: [String: Int] = [:]
        var causes: [String: Int] = [:]
        var totals = ContactCounters()
    }

    static func recount(_ app: Application, _ world: World, days: Int = 10) async throws -> Recount {
        let rules = try await RoutingSettings.load(programID: world.ride.id!, on: app.db).insightRules
        let all = try await Contact.query(on: app.db).filter(\.$program.$id == world.ride.id!).all()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = world.ride.zone
        var result = Recount()
        let start = calendar.date(byAdding: .day, value: 1 - days, to: calendar.startOfDay(for: app.clock.now))!
        for contact in all where contact.arrivedAt >= start {
            var resolved: Bool?
            if let customer = contact.$customer.id, let reason = contact.reason, !reason.isEmpty {
                let key = InsightRules.reasonKey(reason)
                resolved = !all.contains { other in
                    other.$customer.id == customer && other.reason.map(InsightRules.reasonKey) == key
                        && other.arrivedAt > contact.arrivedAt
                        && other.arrivedAt <= contact.arrivedAt.addingTimeInterval(7 * 86_400)
                }
            }
            let counted = CountedContact(
                inbound: contact.direction == .inbound, arrivedAt: contact.arrivedAt, answeredAt: contact.answeredAt,
                endedAt: contact.endedAt, wrappedAt: contact.wrappedAt, abandoned: contact.status == .abandoned,
                wellbeing: contact.wellbeing?.rawValue, resolvedFirstTime: resolved)
            let day = LocalTime.day(contact.arrivedAt, zone: world.ride.zone)
            result.byDay[day, default: .init()].add(counted, rules: rules)
            result.totals.add(counted, rules: rules)
            if let rep = contact.$rep.id { result.byRep[rep, default: .init()].add(counted, rules: rules) }
            result.byHour[
                "\(calendar.component(.hour, from: contact.arrivedAt)) \(contact.channel.rawValue)", default: 0] += 1
            for cause in Vocabulary.stored(contact.rootCauses ?? "") { result.causes[cause, default: 0] += 1 }
        }
        return result
    }

    /// The dashboard over the last `days` days, as the API gives it.
    static func dashboard(_ app: Application, _ world: World, days: Int = 10) async throws -> InsightsDTO {
        let from = LocalTime.day(app.clock.now.addingTimeInterval(-Double(days - 1) * 86_400), zone: world.ride.zone)
        let response = try await app.send(
            .GET, "/api/v1/programs/\(world.ride.id!.lowercaseText)/insights?from=\(from)",
            token: world.supervisor.token)
        #expect(response.status == .ok, "\(response.body.string)")
        return try response.json(InsightsDTO.self)
    }

    /// The dashboard and the recount say the same, metric by metric.
    static func expectEqual(_ app: Application, _ world: World) async throws {
        let recount = try await recount(app, world)
        let rules = try await RoutingSettings.load(programID: world.ride.id!, on: app.db).insightRules
        let dashboard = try await dashboard(app, world)
        #expect(dashboard.totals == InsightsDTO.Metrics(recount.totals, rules))
        #expect(
            Dictionary(uniqueKeysWithValues: dashboard.byDay.map { ($0.day, $0.metrics) })
                == recount.byDay.mapValues { InsightsDTO.Metrics($0, rules) })
        #expect(
            Dictionary(uniqueKeysWithValues: dashboard.byRep.map { ($0.repId, $0.metrics) })
                == recount.byRep.mapValues { InsightsDTO.Metrics($0, rules) })
        #expect(
            Dictionary(uniqueKeysWithValues: dashboard.byHour.map { ("\($0.hour) \($0.channel)", $0.contacts) })
                == recount.byHour)
        #expect(
            Dictionary(
                uniqueKeysWithValues: dashboard.rootCauses.filter { $0.contacts > 0 }.map { ($0.cause, $0.contacts) })
                == recount.causes)
    }

    @Test func theRollUpsEqualARecountAfterLateUpdatesMovesRepeatsAndANewTarget() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let (rita, _) = try await ChallengeTests.rita(app)
            // World.make leaves contacts of its own; three days of RIDE's besides.
            let ann = try await SurveyTests.customer(app, world, "Ann Lee", number: "S-1", email: nil)
            let rep = world.rep.id
            // Through the events API, as a PBX sends them: answered by the rep 50 hours ago, not ended yet.
            let token = try await ContactEventTests.pbxToken(world, on: app)
            let arrived = app.clock.now.addingTimeInterval(-50 * 3600)
            for (id, type, at, extra) in [
                ("late-1-arrived", "arrived", arrived, ""),
                ("late-1-answered", "answered", arrived.addingTimeInterval(12), #""repId":"\#(rep.lowercaseText)""#),
            ] {
                let sent = try await app.send(
                    .POST, "/api/v1/events", token: token,
                    json: ContactEventTests.event(
                        id, type, contact: "late-1", at: ISO8601DateFormatter().string(from: at), extra: extra))
                #expect(sent.status.code < 300, "\(sent.body.string)")
            }
            try await Self.contact(
                app, world, hoursAgo: 49, wait: 8, talk: 240, wrap: 40, rep: rep, customer: ann.id,
                reason: "Ride to dialysis")
            let moved = try await Self.contact(
                app, world, hoursAgo: 26, wait: 75, talk: 300, wrap: 20, rep: rep, reason: "Lost property",
                wellbeing: .heated, rootCauses: "policy,wait-time")
            try await Self.contact(
                app, world, hoursAgo: 50, wait: 10, talk: 30, wrap: 5, rep: rep, rootCauses: "wait-time")
            try await Self.contact(app, world, hoursAgo: 25, wait: 3, abandoned: true)
            try await Self.contact(app, world, hoursAgo: 25, wait: 40, abandoned: true)
            try await Self.contact(app, world, hoursAgo: 24, wait: 90, abandoned: true, channel: .chat)
            try await Self.contact(app, world, hoursAgo: 2, wait: 5, talk: 60, rep: rep, channel: .email)
            try await Self.contact(app, world, hoursAgo: 1, wait: nil)

            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            try await Self.expectEqual(app, world)
            let before = try await Self.dashboard(app, world)
            #expect(before.totals.firstContactResolution == 1)

            // A repeat: Ann is back about her ride today, so two days ago was not resolved the first time (only
            // today's contacts changed: the day two days ago is counted again because of the repeat).
            try await Self.contact(
                app, world, hoursAgo: 0.5, wait: 20, talk: 120, wrap: 10, rep: rep, customer: ann.id,
                reason: "ride to DIALYSIS")
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            try await Self.expectEqual(app, world)
            #expect(try await Self.dashboard(app, world).totals.firstContactResolution == 0.5)

            // Late: the call's end arrives two days on.
            let endedAt = ISO8601DateFormatter().string(from: arrived.addingTimeInterval(192))
            let sent = try await app.send(
                .POST, "/api/v1/events", token: token,
                json: ContactEventTests.event("late-1-ended", "ended", contact: "late-1", at: endedAt))
            #expect(sent.status.code < 300, "\(sent.body.string)")
            // Moved: Rita takes over the contact of yesterday, and names another root cause.
            moved.$rep.id = rita.id
            moved.rootCauses = "unclear-website"
            try await moved.save(on: app.db)
            // A new target: every day is counted again by it.
            let saved = try await app.send(
                .PUT, "/api/v1/programs/\(world.ride.id!.lowercaseText)/routing-settings",
                token: world.supervisor.token,
                json: #"{"targetAnswerSeconds":10,"shortAbandonSeconds":0,"abandonsBeforeTarget":"against"}"#)
            #expect(saved.status == .ok, "\(saved.body.string)")

            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            try await Self.expectEqual(app, world)
            let after = try await Self.dashboard(app, world)
            #expect(after.totals.firstContactResolution == 0.5)
            #expect(after.byRep.contains { $0.repId == rita.id && $0.metrics.heated == 1 })
            #expect(after.totals.shortAbandoned == 0 && after.abandonsBeforeTarget == .against)
            #expect(after.totals.handled == before.totals.handled + 2)
            #expect(before.rootCauses.map(\.cause) == ["wait-time", "policy"])
            #expect(after.rootCauses.map { [$0.cause: $0.contacts] } == [["unclear-website": 1], ["wait-time": 1]])
        }
    }

    /// A change still being written while its day is counted is never missed: the write holds the day's mark
    /// (taking it waits for the write on PostgreSQL) and gives it back if a count took it, so the hour is counted
    /// again.
    @Test func aChangeCommittedWhileItsHourIsCountedIsCountedAgain() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let contact = try await Self.contact(
                app, world, hoursAgo: 3, wait: 10, talk: 60, wrap: 5, rep: world.rep.id)
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            // Another contact of the same hour: its mark is there when the change below is written.
            try await Self.contact(app, world, hoursAgo: 3, wait: nil)
            let counting = try await app.db.transaction { db -> Task<Int, any Error> in
                contact.wellbeing = .heated
                try await contact.save(on: db)
                // The count starts before the change is committed.
                let counting = Task { try await InsightRollups.refresh(events: app.events, on: app.db) }
                try await Task.sleep(for: .milliseconds(300))
                return counting
            }
            _ = try await counting.value
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            try await Self.expectEqual(app, world)
            #expect(try await Self.dashboard(app, world).totals.heated == 1)
        }
    }

    /// The start of yesterday in the program's zone, and its calendar.
    static func yesterday(_ app: Application, _ world: World) -> (Date, Calendar) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = world.ride.zone
        return (calendar.date(byAdding: .day, value: -1, to: calendar.startOfDay(for: app.clock.now))!, calendar)
    }

    /// A day whose rows change by the dozen at once (a backlog counted, a bulk import) is written by whole hours, and
    /// its sums by the whole day; a few changed rows are written one by one: either way the roll-ups equal a recount.
    @Test func manyRowsChangedAtOnceAndAFewAfterEqualARecount() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let (yesterday, _) = Self.yesterday(app, world)
            func hoursAgo(_ hour: Int) -> Double {
                app.clock.now.timeIntervalSince(yesterday.addingTimeInterval(Double(hour) * 3_600 + 600)) / 3_600
            }
            // 40 hours and channels, and 40 causes of one rep in one hour: more than are written one by one.
            let causes = (1...40).map { "cause-\($0)" }.joined(separator: ",")
            for hour in 1...20 {
                for channel in [Contact.Channel.voice, .email] {
                    try await Self.contact(
                        app, world, hoursAgo: hoursAgo(hour), wait: 10, talk: 60, wrap: 5, rep: world.rep.id,
                        channel: channel, rootCauses: hour == 1 && channel == .voice ? causes : "policy")
                }
            }
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            try await Self.expectEqual(app, world)
            #expect(try await Self.dashboard(app, world).rootCauses.count { $0.contacts > 0 } == 41)
            // Then a contact more in three of those hours, one of them abandoned with no rep.
            for hour in [2, 9, 17] {
                try await Self.contact(
                    app, world, hoursAgo: hoursAgo(hour), wait: hour == 9 ? nil : 20, talk: 30, abandoned: hour == 9,
                    rep: hour == 9 ? nil : world.rep.id, rootCauses: "wait-time")
            }
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            try await Self.expectEqual(app, world)
            // And one naming 35 of the first hour's 40 causes again: its hour is written whole, the 5 others too.
            try await Self.contact(
                app, world, hoursAgo: hoursAgo(1), wait: 10, talk: 60, rep: world.rep.id,
                rootCauses: (1...35).map { "cause-\($0)" }.joined(separator: ","))
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            try await Self.expectEqual(app, world)
            #expect(try await Self.dashboard(app, world).rootCauses.count { $0.contacts > 0 } == 42)
        }
    }

    /// A change is counted again in its own hour alone: the other hours of its day keep their rows as they were.
    @Test func aChangeIsCountedInItsHourAlone() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let (yesterday, calendar) = Self.yesterday(app, world)
            let day = InsightRollups.localDay(yesterday, calendar).name
            func at(_ hour: Int) -> Date { yesterday.addingTimeInterval(Double(hour) * 3_600 + 600) }
            func hoursAgo(_ hour: Int) -> Double { app.clock.now.timeIntervalSince(at(hour)) / 3_600 }
            try await Self.contact(app, world, hoursAgo: hoursAgo(10), wait: 10)
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            let sql = try app.db.sqlDatabase
            func counted() async throws -> [Int: Int] {
                Dictionary(
                    try await sql.raw(
                        "SELECT hour, contacts FROM insight_hours WHERE day = \(bind: day) AND hour IN (10, 11)"
                    ).all().map {
                        (try $0.decode(column: "hour", as: Int.self), try $0.decode(column: "contacts", as: Int.self))
                    },
                    uniquingKeysWith: +)
            }
            // Ten o'clock's row is made wrong by hand: counting eleven o'clock leaves it as it is.
            let ten = try #require(try await counted()[10])
            try await sql.raw(
                "UPDATE insight_hours SET contacts = contacts + 1000 WHERE day = \(bind: day) AND hour = 10"
            )
            .run()
            try await Self.contact(app, world, hoursAgo: hoursAgo(11), wait: 10)
            let marked = try await sql.raw("SELECT hour FROM insight_marks").all().map {
                try $0.decode(column: "hour", as: Int.self)
            }
            #expect(marked == [Int(at(11).timeIntervalSince1970 / 3_600)])
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            let after = try await counted()
            #expect(after[10] == ten + 1000)
            #expect(after[11].map { (1..<1000).contains($0) } == true)
        }
    }

    /// One statement that changes many contacts marks every hour they were and are in, and notes as repeats those
    /// with a customer and a reason it added, removed, or moved to another customer, reason or arrival (PostgreSQL
    /// marks once per statement, SQLite row by row: the same marks).
    @Test func oneStatementChangingManyContactsMarksTheirHoursAndNotesTheirRepeats() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let ann = world.rideCustomer.id!
            let sql = try app.db.sqlDatabase
            func hour(_ date: Date) -> Int { Int((date.timeIntervalSince1970 / 3_600).rounded(.down)) }
            func marked() async throws -> Set<Int> {
                Set(
                    try await sql.raw("SELECT hour FROM insight_marks").all().map {
                        try $0.decode(column: "hour", as: Int.self)
                    })
            }
            func noted() async throws -> [Int] {
                try await sql.raw("SELECT arrived_at FROM insight_repeats").all()
                    .map { hour(try $0.decode(column: "arrived_at", as: Date.self)) }.sorted()
            }
            func forget() async throws {
                try await sql.raw("DELETE FROM insight_marks").run()
                try await sql.raw("DELETE FROM insight_repeats").run()
            }
            var made: [Contact] = []
            for hoursAgo in [30.0, 20, 10, 5] {
                made.append(
                    try await Self.contact(
                        app, world, hoursAgo: hoursAgo, wait: 10, customer: hoursAgo == 5 ? nil : ann,
                        reason: hoursAgo == 5 ? nil : "ride"))
            }
            let (moved, renamed, routed, bare) = (made[0], made[1], made[2], made[3])
            try await forget()
            // One update: the first moves two hours later, the second's reason changes, the third gets a routing
            // note only; the fourth (no customer) is left alone.
            let later = moved.arrivedAt.addingTimeInterval(7_200)
            try await sql.raw(
                """
                UPDATE contacts SET arrived_at = CASE WHEN id = \(bind: moved.id!) THEN \(bind: later) ELSE arrived_at END,
                reason = CASE WHEN id = \(bind: renamed.id!) THEN 'fare' ELSE reason END, routing_note = 'noted'
                WHERE id IN (\(bind: moved.id!), \(bind: renamed.id!), \(bind: routed.id!))
                """
            ).run()
            #expect(
                try await marked()
                    == [hour(moved.arrivedAt), hour(later), hour(renamed.arrivedAt), hour(routed.arrivedAt)])
            #expect(
                try await noted()
                    == [hour(moved.arrivedAt), hour(later), hour(renamed.arrivedAt), hour(renamed.arrivedAt)].sorted())
            try await forget()
            // One delete of all four.
            try await sql.raw(
                "DELETE FROM contacts WHERE id IN (\(bind: moved.id!), \(bind: renamed.id!), \(bind: routed.id!), \(bind: bare.id!))"
            ).run()
            #expect(
                try await marked()
                    == [hour(later), hour(renamed.arrivedAt), hour(routed.arrivedAt), hour(bare.arrivedAt)])
            #expect(try await noted() == [hour(later), hour(renamed.arrivedAt), hour(routed.arrivedAt)].sorted())
            try await forget()
            // One insert of three, two of them arriving at the same moment (one mark for both).
            let again = [12.0, 12, 3].map { hoursAgo in
                let contact = Contact()
                contact.$program.id = world.ride.id!
                contact.$customer.id = hoursAgo == 3 ? nil : ann
                contact.channel = .voice
                contact.direction = .inbound
                contact.fromAddress = "+13125550142"
                contact.toAddress = "+13125550100"
                contact.arrivedAt = app.clock.now.addingTimeInterval(-hoursAgo * 3_600)
                contact.status = .queued
                contact.reason = "ride"
                return contact
            }
            try await again.create(on: app.db)
            #expect(try await marked() == Set(again.map { hour($0.arrivedAt) }))
            #expect(try await noted() == [hour(again[0].arrivedAt), hour(again[1].arrivedAt)].sorted())
        }
    }

    /// A marked UTC hour is the local hours it touches, and a local hour the instants that show it: two hours a
    /// day the clocks go back, none the day they go forward, half-hour offsets followed.
    @Test func hoursFollowTheZoneThroughClockChangesAndHalfHourOffsets() throws {
        func calendar(_ zone: String) throws -> Calendar {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = try #require(TimeZone(identifier: zone))
            return calendar
        }
        func utc(_ text: String) throws -> Date { try #require(ISO8601DateFormatter().date(from: text)) }
        func utcHour(_ text: String) throws -> Int { Int(try utc(text).timeIntervalSince1970 / 3_600) }

        let kolkata = try calendar("Asia/Kolkata")
        let touched = InsightRollups.localHours(touching: [try utcHour("2026-12-05T10:00:00Z")], kolkata)
        #expect(touched.map(\.0.name) == ["2026-12-05"])
        #expect(touched.map(\.1) == [[15, 16]])
        let day = try #require(touched.first?.0)
        #expect(
            InsightRollups.spans(of: [15], in: day, kolkata).map(\.range) == [
                try utc("2026-12-05T09:30:00Z")..<utc("2026-12-05T10:30:00Z")
            ])

        // Two marked hours side by side are two spans, each with its own hour.
        #expect(InsightRollups.spans(of: [15, 16], in: day, kolkata).map(\.hour) == [15, 16])

        let chicago = try calendar("America/Chicago")
        let back = InsightRollups.localDay(try utc("2026-11-01T05:00:00Z"), chicago)
        #expect(back.end.timeIntervalSince(back.start) == 25 * 3_600)
        #expect(
            InsightRollups.spans(of: [1], in: back, chicago).map(\.range) == [
                try utc("2026-11-01T06:00:00Z")..<utc("2026-11-01T07:00:00Z"),
                try utc("2026-11-01T07:00:00Z")..<utc("2026-11-01T08:00:00Z"),
            ])
        #expect(
            InsightRollups.localHours(
                touching: [try utcHour("2026-11-01T06:00:00Z"), try utcHour("2026-11-01T07:00:00Z")], chicago
            )
            .map(\.1) == [[1]])
        let forward = InsightRollups.localDay(try utc("2026-03-08T06:00:00Z"), chicago)
        #expect(InsightRollups.spans(of: [2], in: forward, chicago).map(\.range).isEmpty)
        #expect(
            InsightRollups.spans(of: [3], in: forward, chicago).map(\.range) == [
                try utc("2026-03-08T08:00:00Z")..<utc("2026-03-08T09:00:00Z")
            ])
    }

    /// An hour written while it is being counted keeps its mark: the count drops only the marks nobody touched since
    /// it took them.
    @Test func aMarkWrittenAgainWhileItWasTakenStays() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let first = try await Self.contact(app, world, hoursAgo: 3, wait: 10)
            let hour = Int((first.arrivedAt.timeIntervalSince1970 / 3_600).rounded(.down))
            let sql = try app.db.sqlDatabase
            try await sql.raw("UPDATE insight_marks SET taken = 42").run()
            // A write to the same hour gives the mark back; a count holding 42 then leaves it.
            try await Self.contact(app, world, hoursAgo: 3, wait: 20)
            let taken = try await sql.raw("SELECT taken FROM insight_marks WHERE hour = \(bind: hour)").all().map {
                try $0.decode(column: "taken", as: Int?.self)
            }
            #expect(taken == [nil])
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            #expect(
                try await sql.raw("SELECT COUNT(*) AS n FROM insight_marks").first()?.decode(column: "n", as: Int.self)
                    == 0)
            try await Self.expectEqual(app, world)
        }
    }

    /// After a bulk import (more notes than a day's work brings) every hour of the programs noted is marked — among
    /// them the earlier contacts a noted one repeats — their notes are dropped, and the roll-ups equal a recount.
    @Test func aBulkImportMarksEveryHourOfItsProgramsAndDropsTheirNotes() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let ann = world.rideCustomer.id!
            for hoursAgo in [50.0, 30] {
                try await Self.contact(
                    app, world, hoursAgo: hoursAgo, wait: 10, talk: 60, wrap: 5, rep: world.rep.id, customer: ann,
                    reason: "ride")
            }
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            // The import: two more of Ann's, each a repeat of those before (their own hours alone are marked).
            for hoursAgo in [20.0, 10] {
                try await Self.contact(
                    app, world, hoursAgo: hoursAgo, wait: 10, talk: 60, wrap: 5, rep: world.rep.id, customer: ann,
                    reason: "ride")
            }
            try await InsightRollups.markRepeated(bulkAbove: 1, on: app.backgroundDB)
            let sql = try app.db.sqlDatabase
            let ride = world.ride.id!
            let marked = try await sql.raw("SELECT hour FROM insight_marks WHERE program_id = \(bind: ride)").all()
                .map { try $0.decode(column: "hour", as: Int.self) }
            let hours = try await Contact.query(on: app.db).filter(\.$program.$id == ride).all()
                .map { Int(($0.arrivedAt.timeIntervalSince1970 / 3_600).rounded(.down)) }
            #expect(Set(marked) == Set(hours) && hours.count == 5)
            #expect(
                try await sql.raw("SELECT COUNT(*) AS n FROM insight_repeats").first()?.decode(
                    column: "n", as: Int.self)
                    == 0)
            while try await InsightRollups.refresh(events: app.events, on: app.db) > 0 {}
            try await Self.expectEqual(app, world)
        }
    }

    /// A bulk import's hours are read before its write: a note of another program written meanwhile is not dropped
    /// with those marked, but waits for the next round.
    @Test func aNoteOfAnotherProgramWrittenWhileABulkImportWasReadStays() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let sql = try app.db.sqlDatabase
            try await sql.raw("DELETE FROM insight_repeats").run()
            let ride = world.ride.id!
            let help = world.help.id!
            let hour = Int(app.clock.now.timeIntervalSince1970 / 3_600)
            func note(_ program: UUID, _ customer: Customer) async throws {
                try await sql.raw(
                    """
                    INSERT INTO insight_repeats VALUES (\(bind: program), \(bind: customer.id!), \(bind: app.clock.now))
                    """
                ).run()
            }
            try await note(ride, world.rideCustomer)
            let read = try await InsightRollups.NotesRead(on: sql)
            #expect(read.programs == [ride])
            try await note(help, world.helpCustomer)
            try await InsightRollups.mark([(ride, hour)], droppingTheNotesOf: read, on: app.db)
            let noted = try await sql.raw("SELECT program_id FROM insight_repeats").all()
                .map { try $0.decode(column: "program_id", as: UUID.self) }
            #expect(noted == [help])
            let marked = try await sql.raw(
                "SELECT COUNT(*) AS n FROM insight_marks WHERE program_id = \(bind: ride) AND hour = \(bind: hour)"
            ).first()?.decode(column: "n", as: Int.self)
            #expect(marked == 1)
        }
    }

    /// The server's loop counts an hour again only after nine times its last count's duration: a busy hour is not
    /// counted without pause; other hours are not held up by it.
    @Test func anHourThatTookLongToCountWaitsNineTimesAsLong() {
        let pacing = InsightRollups.Pacing()
        let busy = InsightRollups.Pacing.Mark(program: UUID(), hour: 490_272)
        let quiet = InsightRollups.Pacing.Mark(program: busy.program, hour: 490_271)
        #expect(pacing.due([busy, quiet]) == [busy, quiet])
        pacing.counted([busy], in: .seconds(2))
        #expect(pacing.due([busy, quiet]) == [quiet])
        pacing.counted([quiet], in: .zero)
        #expect(pacing.due([quiet]) == [quiet])
    }

    @Test func aRepSeesTheirOwnAndARangeIsCheckedDayByDay() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let path = "/api/v1/programs/\(world.ride.id!.lowercaseText)/insights"
            #expect(try await app.send(.GET, path, token: world.rep.token).status == .forbidden)
            let own = try await app.send(.GET, path + "?rep=\(world.rep.id.lowercaseText)", token: world.rep.token)
            #expect(own.status == .ok)
            #expect(try own.json(InsightsDTO.self).repId == world.rep.id)
            let other = try await app.send(
                .GET, path + "?rep=\(world.supervisor.id.lowercaseText)", token: world.rep.token)
            #expect(other.status == .forbidden)
            let backwards = try await app.send(
                .GET, path + "?from=2026-11-10&to=2026-11-01", token: world.supervisor.token)
            #expect(try backwards.problem().errors?.map(\.field) == ["to"])
            let long = try await app.send(.GET, path + "?from=2025-01-01&to=2026-11-01", token: world.supervisor.token)
            #expect(long.status == .unprocessableEntity)
            let bad = try await app.send(.GET, path + "?from=yesterday", token: world.supervisor.token)
            #expect(try bad.problem().errors?.map(\.field) == ["from"])
            let empty = try await app.send(.GET, path + "?to=", token: world.supervisor.token)
            #expect(try empty.problem().errors?.map(\.field) == ["to"])
            let week = try await app.send(.GET, path, token: world.supervisor.token).json(InsightsDTO.self)
            #expect((week.from, week.to) == ("2026-11-12", "2026-11-18"))
        }
    }
}
