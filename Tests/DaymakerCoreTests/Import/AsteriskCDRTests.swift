import Foundation
import Testing

@testable import DaymakerCore

/// Rows as Asterisk's `cdr_csv` writes them, with every quirk: quoted strings with doubled quotes, unquoted
/// numbers, an empty answer time for unanswered calls, 16 to 21 columns, local times.
@Suite struct AsteriskCDRTests {
    static let chicago = CallTimes(zone: TimeZone(identifier: "America/Chicago")!)

    static func rows(_ csv: String) -> [CSVReader.Row] { Array(CSVRows(Array(csv.utf8))) }

    static func leg(_ csv: String) throws(ValidationFailure) -> CallLeg {
        let row = rows(csv)[0]
        return try AsteriskCDR.leg(row.fields, line: row.line, times: chicago)
    }

    @Test func aMissedCallWithAQuotedCallerIDIsReadWholly() throws {
        let leg = try Self.leg(
            #"""
            "","5551234","100","from-pstn","""John Smith"" <5551234>","SIP/trunk-0001","","Hangup","","2026-11-20 14:05:09","","2026-11-20 14:05:31",22,0,"NO ANSWER","DOCUMENTATION","1763669109.42",""
            """#)
        #expect(leg.from == "5551234")
        #expect(leg.callerName == "John Smith")
        #expect(leg.to == "100")
        #expect(!leg.answered && leg.disposition == "NO ANSWER")
        #expect(leg.start == Date(timeIntervalSince1970: 1_795_205_109))  // 20:05:09Z: Chicago is UTC-6 in November
        #expect(leg.attempt == "1763669109.42" && leg.key == "1763669109.42")
    }

    /// A PBX that writes its dispositions in another case is read the same.
    @Test func aDispositionInAnyCaseIsRead() throws {
        let leg = try Self.leg(
            #"""
            "","5551234","100","from-pstn","","SIP/trunk-0001","","Dial","","2026-11-20 14:05:09","2026-11-20 14:05:12","2026-11-20 14:05:31",22,19," Answered ","DOCUMENTATION","1763669109.43",""
            """#)
        #expect(leg.answered && leg.disposition == "ANSWERED")
    }

    @Test(
        arguments: [
            // 16 columns: nothing identifies the call; the caller and start do.
            (16, nil, nil),
            // uniqueid alone (17), userfield alone (17), both (18).
            (17, "1763669109.42", nil), (18, "1763669109.42", nil),
            // newcdrcolumns: peeraccount, linkedid, sequence after them (19, 20, 21).
            (19, nil, "1763669100.7"), (20, "pbx1-1763669109.42", "1763669100.7"),
            (21, "1763669109.42", "1763669100.7"),
        ] as [(Int, String?, String?)])
    func everyColumnCountAsteriskWrites(columns: Int, uniqueID: String?, linkedID: String?) throws {
        var fields = [
            "", "5551234", "100", "from-pstn", "\"Ann\" <5551234>", "SIP/a", "", "Dial", "", "2026-11-20 14:05:09", "",
            "2026-11-20 14:05:31", "22", "0", "BUSY", "DOCUMENTATION",
        ]
        switch columns {
        case 17: fields += [uniqueID!]
        case 18: fields += [uniqueID!, "vip"]
        case 19: fields += ["", linkedID!, "3"]
        case 20: fields += [uniqueID!, "", linkedID!, "3"]
        case 21: fields += [uniqueID!, "vip", "", linkedID!, "3"]
        default: break
        }
        let leg = try AsteriskCDR.leg(fields, line: 7, times: Self.chicago)
        #expect(leg.attempt == linkedID ?? uniqueID ?? "5551234@2026-11-20 14:05:09")
        #expect(AsteriskCDR.identifiers(fields).uniqueID == uniqueID)
        if columns == 17 {
            // A userfield in the one optional column is not taken for an id.
            var withUserfield = Array(fields.prefix(16))
            withUserfield.append("vip customer")
            #expect(AsteriskCDR.identifiers(withUserfield).uniqueID == nil)
        }
    }

    @Test(
        arguments: [
            (#""John Smith" <5551234>"#, "John Smith", "5551234"),
            (#""O'Brien, Pat" <+13125550142>"#, "O'Brien, Pat", "+13125550142"),
            ("<5551234>", nil, "5551234"),
            ("5551234", nil, "5551234"),
            ("Anonymous", "Anonymous", nil),
            ("zoe", "zoe", nil),
            ("Zoë", "Zoë", nil),
            ("Ölçer", "Ölçer", nil),
            ("+1 (312) 555-0142", nil, "+1 (312) 555-0142"),
            ("[5551234]", nil, "[5551234]"),
            ("", nil, nil),
        ] as [(String, String?, String?)])
    func callerIDs(clid: String, name: String?, number: String?) {
        let parsed = AsteriskCDR.callerID(clid)
        #expect(parsed.name == name && parsed.number == number)
    }

    @Test func aBrokenRowNamesEveryReason() throws {
        #expect(throws: ValidationFailure(field: "row", "has 12 columns; Asterisk's Master.csv has 16 to 21")) {
            try Self.leg("a,b,c,d,e,f,g,h,i,j,k,l")
        }
        #expect(
            throws: ValidationFailure([
                .init(field: "src", detail: "names no caller (src and clid are empty)"),
                .init(field: "start", detail: "'yesterday' is not a time like 2026-11-20 14:05:09"),
                .init(
                    field: "disposition", detail: "'LOST' is not one of ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION"),
            ])
        ) {
            try Self.leg(#""","","100","ctx","","SIP/a","","Dial","","yesterday","","",0,0,"LOST","DOCUMENTATION""#)
        }
        // The caller's number may come from the caller id when src is empty.
        #expect(
            try Self.leg(
                #""","","100","ctx","""Ann"" <5550000>","SIP/a","","Dial","","2026-11-20 14:05:09","","",0,0,"FAILED","DOCUMENTATION""#
            )
            .from == "5550000")
    }

    @Test(
        arguments: [
            ("2026-11-20 14:05:09", 1_795_205_109.0),
            ("2026-11-20T20:05:09Z", 1_795_205_109.0),
            ("2026-11-20T14:05:09-06:00", 1_795_205_109.0),
            ("11/20/2026 2:05:09 PM", 1_795_205_109.0),
            ("11/20/2026 2:05 PM", 1_795_205_100.0),
            // Daylight saving begins on 8 March 2026 in Chicago: 03:30 is CDT (UTC-5).
            ("2026-03-08 03:30:00", 1_772_958_600.0),
            ("2026-03-08 01:30:00", 1_772_955_000.0),
            // It ends on 1 November: 01:30 happens twice and is read as standard time (UTC-6).
            ("2026-11-01 01:30:00", 1_793_518_200.0),
        ] as [(String, Double)])
    func timesInTheFormatsCarriersUse(text: String, epoch: Double) {
        #expect(Self.chicago.parse(text) == Date(timeIntervalSince1970: epoch), "\(text)")
    }

    @Test func timesThatAreNotTimesAreRefused() {
        // 02:30 on 8 March never happens in Chicago.
        for text in [
            "", "20/11/2026 14:05", "2026-13-01 10:00:00", "tomorrow", "2026-11-20 25:00:00", "2026-03-08 02:30:00",
        ] {
            #expect(Self.chicago.parse(text) == nil, "\(text)")
        }
    }
    @Test func freeSWITCHsDefaultTemplate() throws {
        let answered = try FreeSWITCHCDR.leg(
            Self.rows(
                #""John Smith","3125550142","3000","default","2026-11-20 14:05:09","2026-11-20 14:05:15","2026-11-20 14:09:00","231","225","NORMAL_CLEARING","a3f1c0de-0000-4000-8000-000000000001","b3f1c0de-0000-4000-8000-000000000002","","PCMU","PCMU""#
            )[0].fields, line: 1, times: Self.chicago)
        #expect(answered.answered && answered.disposition == "NORMAL_CLEARING")
        #expect(answered.from == "3125550142" && answered.callerName == "John Smith" && answered.to == "3000")
        #expect(answered.key == "a3f1c0de-0000-4000-8000-000000000001" && answered.attempt == answered.key)
        #expect(answered.start == Date(timeIntervalSince1970: 1_795_205_109))
        let missed = try FreeSWITCHCDR.leg(
            Self.rows(
                #""","3125550177","3000","default","2026-11-20 14:06:00","","2026-11-20 14:06:30","30","0","NO_ANSWER","a3f1c0de-0000-4000-8000-000000000003","","""#
            )[0].fields, line: 2, times: Self.chicago)
        #expect(!missed.answered && missed.disposition == "NO_ANSWER" && missed.callerName == nil)
        #expect(
            throws: ValidationFailure([
                .init(field: "caller_id_number", detail: "is empty"),
                .init(field: "start_stamp", detail: "'soon' is not a time like 2026-11-20 14:05:09"),
                .init(field: "uuid", detail: "is empty"),
            ])
        ) {
            try FreeSWITCHCDR.leg(
                ["", "", "3000", "default", "soon", "", "", "0", "0", "NO_ANSWER", "", "", ""], line: 3,
                times: Self.chicago)
        }
        #expect(
            throws: ValidationFailure(field: "row", "has 3 columns; FreeSWITCH's default CDR template has 13 or more")
        ) {
            try FreeSWITCHCDR.leg(["a", "b", "c"], line: 4, times: Self.chicago)
        }
    }
}
