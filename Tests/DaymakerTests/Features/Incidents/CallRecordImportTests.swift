import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import Daymaker

/// A PBX's call records imported from the command line after an outage: legs grouped into calls, every broken
/// row named by its line, and a second import adding nothing.
@Suite struct CallRecordImportTests {
    static let masterCSV = #"""
        "","3125550142","100","from-pstn","""John Smith"" <3125550142>","SIP/trunk-01","SIP/100-01","Dial","SIP/100","2026-11-20 14:05:09","","2026-11-20 14:05:31",22,0,"NO ANSWER","DOCUMENTATION","1795205109.1","","","1795205109.1","1"
        "","3125550142","101","from-pstn","""John Smith"" <3125550142>","SIP/trunk-01","SIP/101-01","Dial","SIP/101","2026-11-20 14:05:09","2026-11-20 14:05:20","2026-11-20 14:07:31",142,131,"ANSWERED","DOCUMENTATION","1795205109.2","","","1795205109.1","2"
        "","+1 (312) 555-0177","100","from-pstn","""Ann Lee"" <3125550177>","SIP/trunk-02","","Hangup","","2026-11-20 14:06:00","","2026-11-20 14:06:10",10,0,"BUSY","DOCUMENTATION","1795205160.3","","","1795205160.3","1"
        "a","b","c"
        "","3125550188","100","from-pstn","","SIP/trunk-03","","Hangup","","not a time","","",0,0,"NO ANSWER","DOCUMENTATION","1795205170.4","","","1795205170.4","1"
        "","Anonymous","100","from-pstn","""Anonymous"" <anonymous>","SIP/trunk-04","","Hangup","","2026-11-20 14:07:00","","2026-11-20 14:07:05",5,0,"FAILED","DOCUMENTATION","1795205220.5","","","1795205220.5","1"

        """#

    @Test func importingMasterCSVKeepsEveryLegNamesBadLinesAndAddsNothingTheSecondTime() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let daymaker = try CommandLineTests.daymaker(app)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("Master-\(UUID()).csv")
            try Data(Self.masterCSV.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }

            let first = try daymaker.run(["import", "cdr", file.path, "--program", "ride"])
            #expect(first.status != 0, "rows were rejected")
            #expect(
                first.output.contains(
                    "Imported into RIDE: 6 rows read, 4 call legs kept, 0 already imported, 2 rejected."),
                "\(first.output)")
            #expect(first.output.contains("Calls in the file: 2 did not get through, 1 got through."))
            #expect(first.output.contains("line 4: row: has 3 columns; Asterisk's Master.csv has 16 to 21"))
            #expect(first.output.contains("line 5: start: 'not a time' is not a time like 2026-11-20 14:05:09"))
            #expect(first.output.contains("2 row(s) were not imported (listed above); the others were kept."))

            let records = try await CallRecord.query(on: app.db).sort(\.$line).all()
            #expect(records.map(\.line) == [1, 2, 3, 6])
            #expect(records.allSatisfy { $0.programID == world.ride.id })
            #expect(records[0].fromAddress == "+13125550142" && records[0].callerName == "John Smith")
            #expect(records[0].attemptKey == records[1].attemptKey)
            #expect(records.map(\.answered) == [false, true, false, false])
            #expect(records[2].fromAddress == "+13125550177")
            #expect(records[3].fromAddress == "Anonymous" && records[3].fromProblem != nil)
            #expect(records[0].startedAt == Date(timeIntervalSince1970: 1_795_205_109))  // 14:05:09 in Chicago
            // Each leg keeps its row as the PBX wrote it, doubled quotes and all.
            let lines = Self.masterCSV.split(separator: "\n").map(String.init)
            #expect(records.map(\.raw) == [lines[0], lines[1], lines[2], lines[5]])
            #expect(records[0].raw.contains(#","""John Smith"" <3125550142>","#))

            // The legs make three calls: John's (answered on its second leg), Ann's and the anonymous one.
            let calls = try await Self.calls(app)
            #expect(calls.map(\.key) == ["1795205109.1", "1795205160.3", "1795205220.5"])
            #expect(calls.map(\.number) == ["+13125550142", "+13125550177", "Anonymous"])
            #expect(calls.map(\.answered) == [true, false, false])
            #expect(calls.map { $0.problem != nil } == [false, false, true])
            #expect(calls[0].start == records[0].startedAt)

            let second = try daymaker.run(["import", "cdr", file.path, "--program", "RIDE"])
            #expect(
                second.output.contains(
                    "Imported into RIDE: 6 rows read, 0 call legs kept, 4 already imported, 2 rejected."),
                "\(second.output)")
            #expect(try await CallRecord.query(on: app.db).count() == 4)
            #expect(try await Self.calls(app) == calls)

            // Logged in GMT: the same wall time is another moment.
            let gmt = FileManager.default.temporaryDirectory.appendingPathComponent("gmt-\(UUID()).csv")
            try Data(
                #"""
                "","3125550199","100","from-pstn","","SIP/t","","Hangup","","2026-11-20 14:05:09","","",0,0,"NO ANSWER","DOCUMENTATION","1795205999.9",""
                """#.utf8
            ).write(to: gmt)
            defer { try? FileManager.default.removeItem(at: gmt) }
            let logged = try daymaker.run(["import", "cdr", gmt.path, "--program", "RIDE", "--zone", "UTC"])
            #expect(logged.status == 0, "\(logged.output)")
            let utc = try #require(
                try await CallRecord.query(on: app.db).filter(\.$fromAddress == "+13125550199").first())
            #expect(utc.startedAt == Date(timeIntervalSince1970: 1_795_183_509))
        }
    }

    @Test func mistakesOnTheCommandLineAreNamed() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            let daymaker = try CommandLineTests.daymaker(app)
            let missing = try daymaker.run(["import", "cdr", "/nonexistent/Master.csv", "--program", "RIDE"])
            #expect(missing.status != 0)
            #expect(missing.output.contains("/nonexistent/Master.csv: cannot be read"))
            let noFile = try daymaker.run(["import", "cdr", "--program", "RIDE"])
            #expect(noFile.output.contains("needs FILE"), "\(noFile.output)")
            let zone = try daymaker.run(["import", "cdr", "/dev/null", "--program", "RIDE", "--zone", "Mars/Base"])
            #expect(zone.output.contains("--zone: 'Mars/Base' is not an IANA time zone"), "\(zone.output)")
            let program = try daymaker.run(["import", "cdr", "/dev/null", "--program", "NOPE"])
            #expect(program.output.contains("--program: no program has the code 'NOPE'"))
            #expect(try await CallRecord.query(on: app.db).count() == 0)
        }
    }
    static func upload(
        _ transport: some HTTPTransport, _ token: String, _ csv: String, query: String = "program=RIDE",
        contentType: String = "text/csv"
    ) async throws -> HTTPReply {
        var headers: HTTPHeaders = ["Content-Type": contentType]
        headers.bearerAuthorization = .init(token: token)
        return try await transport.exchange(
            .POST, "/api/v1/imports/cdr?\(query)", headers: headers, body: ByteBuffer(string: csv))
    }

    static func row(_ number: String, _ disposition: String, unique: String, linked: String, sequence: Int) -> String {
        #""","\#(number)","100","from-pstn","","SIP/t","","Dial","","2026-11-20 14:05:09","","",0,0,"\#(disposition)","DOCUMENTATION","\#(unique)","","","\#(linked)","\#(sequence)""#
            + "\n"
    }

    @Test func theAPIImportsAFileAsItArrivesForSupervisorsOfTheProgram() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            // 2,001 legs of 667 calls (three legs each, the third answered for every other call), over real HTTP.
            var csv = ""
            for call in 0..<667 {
                for leg in 0..<3 {
                    let answered = leg == 2 && call % 2 == 0
                    csv += Self.row(
                        "312555" + String(1000 + call), answered ? "ANSWERED" : "NO ANSWER",
                        unique: "1795205109.\(call * 3 + leg)", linked: "1795205109.\(call)", sequence: leg)
                }
            }
            try await LiveServer.run(app) { server in
                let reply = try await Self.upload(server, world.supervisor.token, csv)
                #expect(reply.status == .ok, "\(reply.body.string.prefix(300))")
                let report = try JSONDecoder().decode(CallRecordImportDTO.self, from: Data(buffer: reply.body))
                #expect(report.rows == 2_001 && report.kept == 2_001 && report.duplicates == 0)
                #expect(report.gotThrough == 334 && report.missed == 333)
                #expect(report.rejected.isEmpty)
                let again = try JSONDecoder().decode(
                    CallRecordImportDTO.self,
                    from: Data(buffer: try await Self.upload(server, world.supervisor.token, csv).body))
                #expect(again.kept == 0 && again.duplicates == 2_001)
            }
            #expect(try await CallRecord.query(on: app.db).count() == 2_001)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "call-records.imported").all()
            #expect(audit.count == 2 && audit.allSatisfy { $0.actorID == world.supervisor.id })

            let line = Self.row("3125550101", "BUSY", unique: "1.1", linked: "1.1", sequence: 0)
            #expect(try await Self.upload(app, world.rep.token, line).status == .forbidden)
            #expect(try await Self.upload(app, world.supervisor.token, line, query: "program=HELP").status == .notFound)
            #expect(
                try await Self.upload(app, world.supervisor.token, line, contentType: "application/json").status
                    == .unsupportedMediaType)
            #expect(try await Self.upload(app, world.supervisor.token, "").status == .unprocessableEntity)
            let wrongFile = try await Self.upload(app, world.supervisor.token, "customer_number,kind\n1,ride\n")
            #expect(wrongFile.status == .unprocessableEntity)
            #expect(
                try JSONDecoder().decode(Problem.self, from: Data(buffer: wrongFile.body)).errors?.map(\.field)
                    == ["line 1: row", "line 2: row"])
            let zone = try await Self.upload(app, world.supervisor.token, line, query: "program=RIDE&zone=Mars")
            #expect(zone.status == .unprocessableEntity)
            #expect(try await CallRecord.query(on: app.db).count() == 2_001)
        }
    }
    @Test func aBrowsersMultipartUploadIsReadFromItsFilePartAsItArrives() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var records = ""
            for call in 0..<3_000 {
                records += Self.row(
                    "312555" + String(1000 + call), "BUSY", unique: "1795205109.\(call)", linked: "1795205109.\(call)",
                    sequence: 0)
            }
            func form(_ parts: [(name: String, file: String?, body: String)]) -> String {
                parts.map { part in
                    "--XyZzy\r\nContent-Disposition: form-data; name=\"\(part.name)\""
                        + (part.file.map { "; filename=\"\($0)\"\r\nContent-Type: text/csv" } ?? "") + "\r\n\r\n"
                        + part.body + "\r\n"
                }.joined() + "--XyZzy--\r\n"
            }
            let type = "multipart/form-data; boundary=XyZzy"
            try await LiveServer.run(app) { server in
                let reply = try await Self.upload(
                    server, world.supervisor.token,
                    form([("note", nil, "after the outage"), ("file", "Master.csv", records)]), contentType: type)
                #expect(reply.status == .ok, "\(reply.body.string.prefix(300))")
                let report = try JSONDecoder().decode(CallRecordImportDTO.self, from: Data(buffer: reply.body))
                #expect(report.rows == 3_000 && report.kept == 3_000 && report.missed == 3_000)
            }
            let missing = try await Self.upload(
                app, world.supervisor.token, form([("note", nil, "no file")]), contentType: type)
            #expect(missing.status == .unprocessableEntity)
            let problem = try JSONDecoder().decode(Problem.self, from: Data(buffer: missing.body))
            #expect(problem.errors?.first?.detail.hasPrefix("is missing") == true)
            let broken = try await Self.upload(
                app, world.supervisor.token, "--XyZzy\r\nno headers end", contentType: type)
            #expect(broken.status == .unprocessableEntity)
            #expect(try await CallRecord.query(on: app.db).count() == 3_000)
        }
    }

    @Test func anImportKilledHalfWayKeepsWholeBatchesAndFinishesWhenRunAgain() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            let daymaker = try CommandLineTests.daymaker(app)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("killed-\(UUID()).csv")
            // Long enough that a machine busy with other tests still sees it half way (five batches were once all
            // written between two polls).
            let rows = 10 * CallRecordImport.batchSize
            var csv = ""
            for leg in 0..<rows {
                csv += Self.row(
                    "312555" + String(1000 + leg % 9000), "NO ANSWER", unique: "1795205109.\(leg)",
                    linked: "1795205109.\(leg)", sequence: 0)
            }
            try Data(csv.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }

            let process = Process()
            process.executableURL = DaymakerProcess.executable
            process.arguments = ["import", "cdr", file.path, "--program", "RIDE"]
            process.environment = daymaker.environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Killed (SIGKILL: no chance to tidy up) once a batch is in.
            let deadline = ContinuousClock.now.advanced(by: .seconds(60))
            while try await CallRecord.query(on: app.db).count() < CallRecordImport.batchSize,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(10))
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let kept = try await CallRecord.query(on: app.db).count()
            #expect(kept < rows, "the import was still running when it was killed")
            #expect(kept % CallRecordImport.batchSize == 0, "only whole batches: \(kept)")

            let again = try daymaker.run(["import", "cdr", file.path, "--program", "RIDE"])
            #expect(again.status == 0, "\(again.output)")
            #expect(
                again.output.contains(
                    "\(rows) rows read, \(rows - kept) call legs kept, \(kept) already imported, 0 rejected."),
                "\(again.output)")
            #expect(try await CallRecord.query(on: app.db).count() == rows)
            #expect(try await Self.calls(app).count == rows, "each leg is a call of its own")
        }
    }

    /// A call's legs are folded into the call as they are imported, also when they come in different files and
    /// out of order: the first leg gives the caller (the legs after it may be extensions the call was passed to),
    /// and any leg answered makes it a call that got through.
    @Test func aCallsLegsMakeOneCallWhicheverFileTheyComeIn() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let start = World.now - 3_600
            try await CampaignTests.leg(app, world.ride, "201", at: start + 30, answered: false, call: "x", leg: 1)
            var calls = try await Self.calls(app)
            #expect(calls.count == 1 && calls[0].number == "201" && calls[0].problem != nil)

            try await CampaignTests.leg(app, world.ride, "3125550142", at: start, answered: false, call: "x", leg: 0)
            calls = try await Self.calls(app)
            #expect(calls == [Call(key: "x", number: "+13125550142", problem: nil, start: start, answered: false)])

            try await CampaignTests.leg(app, world.ride, "202", at: start + 60, answered: true, call: "x", leg: 2)
            calls = try await Self.calls(app)
            #expect(calls == [Call(key: "x", number: "+13125550142", problem: nil, start: start, answered: true)])
            // An unanswered leg afterwards changes nothing.
            try await CampaignTests.leg(app, world.ride, "203", at: start + 90, answered: false, call: "x", leg: 3)
            #expect(try await Self.calls(app) == calls)
            #expect(try await CallRecord.query(on: app.db).count() == 4)
        }
    }

    /// Calls imported before the calls were kept are folded from their legs when the migration runs.
    @Test func theMigrationFoldsTheLegsAlreadyImported() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let start = World.now - 3_600
            try await CampaignTests.leg(app, world.ride, "3125550142", at: start, answered: false, call: "x", leg: 0)
            try await CampaignTests.leg(app, world.ride, "201", at: start + 30, answered: true, call: "x", leg: 1)
            try await CampaignTests.leg(app, world.ride, "3125550177", at: start + 5, answered: false, call: "y")
            try await CampaignTests.leg(app, world.ride, "Anonymous", at: start + 9, answered: false, call: "z")
            let folded = try await Self.calls(app)
            #expect(folded.count == 3)

            try await CreateCallAttempts().revert(on: app.db)
            try await CreateCallAttempts().prepare(on: app.db)
            #expect(try await Self.calls(app) == folded)
            #expect(folded[0] == Call(key: "x", number: "+13125550142", problem: nil, start: start, answered: true))
        }
    }

    /// A call as it is kept (`CallAttempts`).
    struct Call: Equatable {
        var key: String
        var number: String
        var problem: String?
        var start: Date
        var answered: Bool
    }

    /// Every call kept, by key.
    static func calls(_ app: Application) async throws -> [Call] {
        try await app.db.sqlDatabase.select().columns(CallAttempts.columns.map { SQLColumn($0) })
            .from(CallAttempts.schema).orderBy("attempt_key").all()
            .map { row in
                Call(
                    key: try row.decode(column: "attempt_key", as: String.self),
                    number: try row.decode(column: "number", as: String.self),
                    problem: try row.decode(column: "problem", as: String?.self),
                    start: try row.decode(column: "started_at", as: Date.self),
                    answered: try row.decode(column: "answered", as: Bool.self))
            }
    }
    @Test func freeSWITCHRecordsImportWithTheirFormat() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let csv = """
                "John Smith","3125550142","3000","default","2026-11-20 14:05:09","","2026-11-20 14:05:39","30","0","NO_ANSWER","a3f1c0de-0000-4000-8000-000000000001","","","PCMU","PCMU"
                "Ann Lee","3125550177","3000","default","2026-11-20 14:06:00","2026-11-20 14:06:05","2026-11-20 14:09:00","180","175","NORMAL_CLEARING","a3f1c0de-0000-4000-8000-000000000002","b3f1c0de-0000-4000-8000-000000000002","","PCMU","PCMU"

                """
            let reply = try await Self.upload(app, world.supervisor.token, csv, query: "program=RIDE&format=freeswitch")
            #expect(reply.status == .ok, "\(reply.body.string)")
            let report = try JSONDecoder().decode(CallRecordImportDTO.self, from: Data(buffer: reply.body))
            #expect((report.kept, report.missed, report.gotThrough) == (2, 1, 1))
            #expect(try await CallRecord.query(on: app.db).all().allSatisfy { $0.source == .freeswitch })
            // Read as Asterisk's, the same file is not call records at all.
            let wrong = try await Self.upload(app, world.supervisor.token, csv, query: "program=RIDE&format=asterisk")
            #expect(wrong.status == .unprocessableEntity)
            let unknown = try await Self.upload(app, world.supervisor.token, csv, query: "program=RIDE&format=cisco")
            #expect(unknown.status == .unprocessableEntity)
        }
    }
    @Test func aCarriersCSVImportsThroughItsMapping() async throws {
        try await withApp { app in
            _ = try await World.make(on: app)
            let daymaker = try CommandLineTests.daymaker(app)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("carrier-\(UUID()).csv")
            try Data(
                """
                Call ID,Caller,Date,Result
                C-1,(312) 555-0142,11/20/2026 2:05:09 PM,No Answer
                C-2,312-555-0177,11/20/2026 2:06:00 PM,Completed
                C-3,,11/20/2026 2:07:00 PM,Busy

                """.utf8
            ).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let imported = try daymaker.run([
                "import", "cdr", file.path, "--program", "RIDE", "--format", "csv", "--map",
                "id=Call ID,from=Caller", "--map", "start=Date,status=Result",
            ])
            #expect(imported.status != 0, "line 4 is rejected")
            #expect(
                imported.output.contains(
                    "Imported into RIDE: 3 rows read, 2 call legs kept, 0 already imported, 1 rejected."),
                "\(imported.output)")
            #expect(imported.output.contains("Calls in the file: 1 did not get through, 1 got through."))
            #expect(imported.output.contains("line 4: from: is empty"))
            let records = try await CallRecord.query(on: app.db).sort(\.$line).all()
            #expect(records.map(\.fromAddress) == ["+13125550142", "+13125550177"])
            #expect(records.map(\.source) == [.csv, .csv])

            let unmapped = try daymaker.run(["import", "cdr", file.path, "--program", "RIDE", "--format", "csv"])
            #expect(unmapped.status != 0)
            #expect(unmapped.output.contains("--map: no column 'from' in the header for from"), "\(unmapped.output)")
            #expect(try await CallRecord.query(on: app.db).count() == 2)
        }
    }
}
