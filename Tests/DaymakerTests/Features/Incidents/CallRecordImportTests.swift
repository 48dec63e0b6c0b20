import DaymakerCore
import Fluent
import Foundation
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
            let raw = try JSONDecoder().decode([String].self, from: Data(records[0].raw.utf8))
            #expect(raw.count == 21 && raw[4] == #""John Smith" <3125550142>"#)

            let second = try daymaker.run(["import", "cdr", file.path, "--program", "RIDE"])
            #expect(
                second.output.contains(
                    "Imported into RIDE: 6 rows read, 0 call legs kept, 4 already imported, 2 rejected."),
                "\(second.output)")
            #expect(try await CallRecord.query(on: app.db).count() == 4)

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
}
