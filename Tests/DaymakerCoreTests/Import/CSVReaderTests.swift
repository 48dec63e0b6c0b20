import Foundation
import Testing

@testable import DaymakerCore

@Suite struct CSVReaderTests {
    func rows(_ text: String, maxFields: Int = 32, maxFieldBytes: Int = 4096) -> [CSVReader.Row] {
        Array(CSVRows(Array(text.utf8), maxFields: maxFields, maxFieldBytes: maxFieldBytes))
    }

    /// Reads `bytes` fed in chunks of `size`, as a request body or a file arrives.
    func rows(_ bytes: [UInt8], chunksOf size: Int) -> [CSVReader.Row] {
        var reader = CSVReader()
        var rows: [CSVReader.Row] = []
        var start = 0
        while start < bytes.count {
            for byte in bytes[start..<min(start + size, bytes.count)] {
                if let row = reader.read(byte) { rows.append(row) }
            }
            start += size
        }
        if let last = reader.finish() { rows.append(last) }
        return rows
    }

    /// The same, each chunk read at once (a run of plain bytes taken whole).
    func rows(_ bytes: [UInt8], wholeChunksOf size: Int) -> [CSVReader.Row] {
        var reader = CSVReader()
        var rows: [CSVReader.Row] = []
        var start = 0
        while start < bytes.count {
            Array(bytes[start..<min(start + size, bytes.count)]).withUnsafeBufferPointer {
                reader.read($0, into: &rows)
            }
            start += size
        }
        if let last = reader.finish() { rows.append(last) }
        return rows
    }

    func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Fixtures"))
        return Array(try Data(contentsOf: url))
    }

    @Test func readsQuotesLineBreaksAndBothLineEndings() {
        #expect(
            rows("a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n\nlast,") == [
                .init(line: 1, fields: ["a", "b"], text: "a,b"),
                .init(line: 2, fields: [#"x, "y""#, "two\nlines"], text: #""x, ""y""","two"# + "\nlines\""),
                .init(line: 5, fields: ["last", ""], text: "last,"),
            ])
    }

    @Test func capsAndBadBytesRejectOnlyTheirRow() {
        #expect(
            rows("a,b,c\nok\n", maxFields: 2) == [
                .init(line: 1, fields: [], error: .tooManyFields(max: 2)), .init(line: 2, fields: ["ok"], text: "ok"),
            ])
        #expect(
            rows("abcdef\nok\n", maxFieldBytes: 3) == [
                .init(line: 1, fields: [], error: .fieldTooLong(maxBytes: 3)),
                .init(line: 2, fields: ["ok"], text: "ok"),
            ])
        #expect(
            rows("a\u{0}b\nok") == [
                .init(line: 1, fields: [], error: .nul), .init(line: 2, fields: ["ok"], text: "ok"),
            ])
        #expect(
            rows("ok\n\"never closed\nmore") == [
                .init(line: 1, fields: ["ok"], text: "ok"), .init(line: 2, fields: [], error: .unterminatedQuote),
            ])
        #expect(
            rows([0x61, 0xFF, 0x0A, 0x6F, 0x6B], wholeChunksOf: 5) == Array(CSVRows([0x61, 0xFF, 0x0A, 0x6F, 0x6B])))
        #expect(
            Array(CSVRows([0x61, 0xFF, 0x0A, 0x6F, 0x6B])) == [
                .init(line: 1, fields: [], error: .invalidUTF8), .init(line: 2, fields: ["ok"], text: "ok"),
            ])
    }

    @Test func anExcelExportReadsTheSameInChunksOfAnySize() throws {
        let bytes = try fixture("bookings-excel")
        let whole = Array(CSVRows(bytes))
        #expect(whole.map(\.line) == [1, 2, 3, 5])
        #expect(whole[0].fields.first == "customer_number", "the byte order mark is not part of the first field")
        #expect(
            whole[1].fields == [
                "100234", "dialysis ride", "2026-11-24 09:30", "12 Elm St, Apt 4", "Mercy Dialysis Center",
                #"Needs the ramp; say "hello" to Rex"#,
            ])
        #expect(whole[2].fields[4] == "Clínica Santa María")
        #expect(whole[2].fields[5] == "Wheelchair\r\nCall on arrival")
        #expect(whole[3].fields == ["100236", "pharmacy", "2026-11-25 14:00", "", "", ""])
        // A chunk boundary may fall inside the byte order mark, a CRLF, a doubled quote or a multi-byte character.
        for size in 1...bytes.count {
            #expect(rows(bytes, chunksOf: size) == whole, "chunks of \(size) bytes")
            #expect(rows(bytes, wholeChunksOf: size) == whole, "whole chunks of \(size) bytes")
        }
        #expect(whole[2].text.hasSuffix(#",Clínica Santa María,"Wheelchair\#r\#nCall on arrival""#))
    }

    @Test func readsAsterisksCallDetailRecords() throws {
        let bytes = try fixture("asterisk-master")
        let rows = Array(CSVRows(bytes))
        // Its quoted fields taken whole when a chunk holds them, byte by byte when one ends inside them.
        for size in 1...bytes.count {
            #expect(self.rows(bytes, wholeChunksOf: size) == rows, "whole chunks of \(size) bytes")
        }
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.error == nil && $0.fields.count == 18 })
        #expect(rows[0].fields[1] == "5551234567")
        #expect(rows[0].fields[4] == #""John Smith" <5551234567>"#)
        #expect(rows[0].fields[8] == "SIP/100,30")
        #expect(rows[1].fields[14] == "NO ANSWER")
        #expect(rows[2].fields[13] == "0")
    }

    /// A call-record export of any length streams through: only the current row is held, so a million rows read
    /// in the same memory as one. (200,000 here, to keep the debug-build suite quick.)
    @Test func rowsStreamThroughOneAtATime() {
        var reader = CSVReader()
        var count = 0
        var last: CSVReader.Row?
        for index in 1...200_000 {
            for byte in "\"\",\"555\(index)\",\"100\",\"2026-11-18 09:30:00\",\(index % 600),\"ANSWERED\"\n".utf8 {
                if let row = reader.read(byte) {
                    count += 1
                    last = row
                }
            }
        }
        #expect(reader.finish() == nil)
        #expect(count == 200_000)
        #expect(
            last
                == .init(
                    line: 200_000, fields: ["", "555200000", "100", "2026-11-18 09:30:00", "200", "ANSWERED"],
                    text: #""","555200000","100","2026-11-18 09:30:00",200,"ANSWERED""#))
    }
}
