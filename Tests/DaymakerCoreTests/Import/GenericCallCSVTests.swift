import Foundation
import Testing

@testable import DaymakerCore

/// A carrier's call list as CSV with its own header, read through a column mapping.
@Suite struct GenericCallCSVTests {
    static let chicago = CallTimes(zone: TimeZone(identifier: "America/Chicago")!)
    static let header = ["Call ID", "Caller", "Dialled", "Date", "Result"]

    @Test func aMappingNamesTheColumnsInAnyCase() throws {
        let layout = try GenericCallCSV(
            header: Self.header, mapping: "from=caller, start=DATE,status=Result,to=Dialled,id=Call ID")
        let missed = try layout.leg(
            ["C-1", "(312) 555-0142", "3125550100", "11/20/2026 2:05:09 PM", "No Answer"], line: 2, times: Self.chicago)
        #expect(missed.from == "(312) 555-0142" && missed.to == "3125550100" && missed.key == "C-1")
        #expect(!missed.answered && missed.disposition == "NO ANSWER")
        #expect(missed.start == Date(timeIntervalSince1970: 1_795_205_109))
        for word in ["Answered", "completed", "CONNECTED", "success", "OK", "yes"] {
            #expect(
                try layout.leg(["C-2", "3125550177", "", "2026-11-20 14:06:00", word], line: 3, times: Self.chicago)
                    .answered, "\(word)")
        }
        for word in ["Busy", "failed", "No Answer", "abandoned"] {
            #expect(
                !(try layout.leg(["C-3", "3125550177", "", "2026-11-20 14:06:00", word], line: 4, times: Self.chicago)
                    .answered), "\(word)")
        }
    }

    @Test func withoutAMappingColumnsNamedLikeTheKeysAreTakenAndAStatuslessListIsMissedCalls() throws {
        let layout = try GenericCallCSV(header: ["From", "Start"], mapping: nil)
        let leg = try layout.leg(["3125550142", "2026-11-20T20:05:09Z"], line: 2, times: Self.chicago)
        #expect(!leg.answered && leg.attempt == "3125550142@1795205109.0")
        #expect(
            throws: ValidationFailure([
                .init(field: "from", detail: "is empty"),
                .init(
                    field: "start",
                    detail: "'soon' is not a time like 2026-11-20 14:05:09 or 11/20/2026 2:05:09 PM"),
            ])
        ) {
            try layout.leg(["", "soon"], line: 3, times: Self.chicago)
        }
    }

    @Test func aMappingTheHeaderCannotSatisfyIsRefusedWhole() {
        #expect(
            throws: ValidationFailure([
                .init(
                    field: "map",
                    detail: "'colour=Red' is not KEY=COLUMN with KEY one of from, start, status, to, id, name")
            ])
        ) {
            try GenericCallCSV(header: Self.header, mapping: "from=Caller,colour=Red")
        }
        #expect(
            throws: ValidationFailure([
                .init(
                    field: "map", detail: "no column 'Number' in the header for from; name it as in --map from=COLUMN"),
                .init(
                    field: "map", detail: "no column 'start' in the header for start; name it as in --map start=COLUMN"),
            ])
        ) {
            try GenericCallCSV(header: Self.header, mapping: "from=Number")
        }
    }
}
