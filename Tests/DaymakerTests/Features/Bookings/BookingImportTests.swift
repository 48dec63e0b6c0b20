import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

/// Booking imports can be re-run safely, scale past the databases' bind limits, and name every bad line.
@Suite struct BookingImportTests {
    static func upload(_ app: Application, _ world: World, _ csv: [UInt8]) async throws -> HTTPReply {
        var headers: HTTPHeaders = ["Content-Type": "text/csv"]
        headers.bearerAuthorization = .init(token: world.rep.token)
        var body = ByteBuffer()
        body.writeBytes(csv)
        return try await app.exchange(.POST, "/api/v1/bookings/import?program=RIDE", headers: headers, body: body)
    }

    static func report(_ reply: HTTPReply) throws -> ImportReport {
        #expect(reply.status == .ok, "\(reply.body.string.prefix(300))")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ImportReport.self, from: Data(buffer: reply.body))
    }

    @Test func importingTheSameFileTwiceChangesNothingAndKeepsConfirmations() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let csv = Array(
                """
                customer_number,kind,starts_at,pick_up,external_id
                100001,ride,2026-12-01 09:30,Home,T-1
                100001,ride,2026-12-02 09:30,Home,
                100001,visit,2026-12-03 14:00,,
                """.utf8)
            let first = try Self.report(try await Self.upload(app, world, csv))
            #expect((first.created, first.updated, first.unchanged, first.rejected.count) == (3, 0, 0, 0))
            // A rep confirms two of them, one with and one without an external id.
            let rep = try #require(try await Principal.load(userID: world.rep.id, scopes: nil, on: app.db))
            // The file's first two rides (the world's own is on 2026-11-19).
            let (december1, december3) = (
                Date(timeIntervalSince1970: 1_796_083_200), Date(timeIntervalSince1970: 1_796_256_000)
            )
            func imported() async throws -> [Booking] {
                try await Booking.query(on: app.db).filter(\.$kind == "ride")
                    .filter(\.$startsAt >= december1).filter(\.$startsAt < december3).all()
            }
            for booking in try await imported() {
                try await booking.confirm(
                    by: rep, contactID: nil, now: app.clock.now, zone: world.ride.zone, on: app.db)
            }
            let before = try await Booking.query(on: app.db).count()
            let second = try Self.report(try await Self.upload(app, world, csv))
            #expect((second.created, second.updated, second.unchanged, second.rejected.count) == (0, 0, 3, 0))
            #expect(try await Booking.query(on: app.db).count() == before)
            let rides = try await imported()
            #expect(rides.count == 2)
            #expect(rides.allSatisfy { $0.status == .confirmed && $0.confirmedAt != nil })
            // A row that says another status does change it; a duplicate row in one file is refused by line.
            let change = try Self.report(
                try await Self.upload(
                    app, world,
                    Array(
                        """
                        customer_number,kind,starts_at,status
                        100001,ride,2026-12-02 09:30,cancelled
                        100001,ride,2026-12-02 09:30,cancelled
                        """.utf8)))
            #expect(change.updated == 1)
            #expect(change.rejected.map(\.line) == [3])
            #expect(change.rejected.first?.errors.first?.detail == "same customer, kind and start as line 2")
        }
    }

    @Test func aFileWithMoreCustomerNumbersThanTheBindLimitImports() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var csv = "customer_number,kind,starts_at\n"
            for index in 0..<70_000 { csv += "N\(index),ride,2026-12-01 09:30\n" }
            csv += "100001,ride,2026-12-05 10:00\n"
            // 70,000 numbers: more than SQLite (32,766) and PostgreSQL (65,535) take as binds in one statement.
            let report = try Self.report(try await Self.upload(app, world, Array(csv.utf8)))
            #expect(report.created == 1)
            #expect(report.rejected.count == 70_000)
            #expect(report.rejected.first?.line == 2)
            #expect(report.rejected.first?.errors.first?.detail == "no customer N0 in RIDE")
        }
    }

    @Test func badLinesAreNamedAndTheRestImported() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var csv = Array("customer_number,kind,starts_at\n".utf8)
            csv += Array(String(repeating: ",", count: 200_000).utf8) + [UInt8(ascii: "\n")]  // line 2: a row of commas
            // line 3: a field longer than a field may be
            csv +=
                Array("100001,ride,\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: 10_000) + Array("\"\n".utf8)
            csv += Array("100001,r".utf8) + [0xC3, 0x28] + Array("de,2026-12-01 09:30\n".utf8)  // line 4: invalid UTF-8
            csv += Array("100001,ride,2026-12-01 09:30\n".utf8)  // line 5: fine
            let report = try Self.report(try await Self.upload(app, world, csv))
            #expect(report.created == 1)
            #expect(report.rejected.map(\.line) == [2, 3, 4])
            #expect(
                report.rejected.map { $0.errors.first?.detail ?? "" } == [
                    "has more than 32 fields", "has a field longer than 4096 bytes", "is not valid UTF-8 text",
                ])
        }
    }
}
