import Foundation
import Synchronization

/// One leg of a call as a PBX or carrier logged it: who called, when, and whether this leg was answered. One call
/// can log several legs (one per number dialled); legs with the same `attempt` are one attempt, which got through
/// if any of its legs was answered.
public struct CallLeg: Sendable, Equatable {
    /// 1-based line of the file.
    public var line: Int
    /// What identifies this leg in its file, so importing the file again adds nothing.
    public var key: String
    /// The legs of one call share it.
    public var attempt: String
    /// The caller's number as logged.
    public var from: String
    /// The caller's name, when the caller id gives one.
    public var callerName: String?
    public var to: String
    public var start: Date
    public var answered: Bool
    /// As logged: `ANSWERED`, `NO ANSWER`, `BUSY`, `FAILED`, `CONGESTION` (Asterisk).
    public var disposition: String
}

/// Times as PBXs and carriers write them: ISO 8601 with a zone, `YYYY-MM-DD HH:MM:SS` in the PBX's zone, or the
/// US `M/D/YYYY h:mm:ss AM` in that zone. Daylight-saving changes are the zone's: a wall time that happens twice
/// (the hour the clocks go back) is read as standard time; one that never happens (the hour they skip) is refused.
public struct CallTimes: Sendable {
    public let zone: TimeZone
    /// Each quarter hour of wall time read so far, as the instant it begins (nil: it never happens). Files are
    /// read one row at a time, so the zone is asked once per quarter hour, not once per row.
    private let quarters = Quarters()

    public init(zone: TimeZone) {
        self.zone = zone
    }

    public func parse(_ text: String) -> Date? {
        let text = text.trimmingWhitespace
        if let wall = Self.wallTime(text) { return local(wall) }
        if text.contains("T") {
            if let date = try? Date(text, strategy: .iso8601) { return date }
            return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        }
        return nil
    }

    /// The instant a wall time names in the zone: the hour the clocks skip is refused, the hour they repeat is
    /// read as standard time.
    private func local(_ wall: Int) -> Date? {
        let quarter = wall >= 0 ? wall / 900 : (wall - 899) / 900
        let start =
            quarters.cache.withLock { $0[quarter] }
            ?? {
                let found = instant(quarter * 900)
                quarters.cache.withLock { $0[quarter] = found }
                return found
            }()
        return start.map { Date(timeIntervalSince1970: Double($0 + wall - quarter * 900)) }
    }

    private func instant(_ wall: Int) -> Int? {
        let offsets = [-86_400, 86_400].map { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall + $0))) }
        let valid = Set(offsets).map { wall - $0 }.filter {
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0))) == wall - $0
        }
        return valid.first { !zone.isDaylightSavingTime(for: Date(timeIntervalSince1970: Double($0))) } ?? valid.first
    }

    private final class Quarters: Sendable {
        let cache = Mutex<[Int: Int?]>([:])
    }

    /// `YYYY-MM-DD HH:MM[:SS]` or `M/D/YYYY h:mm[:ss] AM|PM` as seconds since 1970 read as UTC; nil for anything
    /// else, or a date or time that does not exist.
    static func wallTime(_ text: String) -> Int? {
        var bytes = Array(text.utf8)[...]
        func number(_ digits: ClosedRange<Int>) -> Int? {
            var value = 0
            var count = 0
            while let byte = bytes.first, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"),
                count < digits.upperBound
            {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                count += 1
                bytes = bytes.dropFirst()
            }
            return digits.contains(count) ? value : nil
        }
        func skip(_ separator: Character) -> Bool {
            guard bytes.first == separator.asciiValue else { return false }
            bytes = bytes.dropFirst()
            return true
        }
        var year: Int
        var month: Int
        var day: Int
        var hour: Int
        // The US layout (month first, with AM or PM).
        let us: Bool
        if let first = number(1...4) {
            us = bytes.first == UInt8(ascii: "/")
            if skip("-") {
                guard let m = number(2...2), skip("-"), let d = number(2...2), skip(" "), let h = number(2...2) else {
                    return nil
                }
                (year, month, day, hour) = (first, m, d, h)
            } else if skip("/") {
                guard let d = number(1...2), skip("/"), let y = number(4...4), skip(" "), let h = number(1...2) else {
                    return nil
                }
                (year, month, day, hour) = (y, first, d, h)
            } else {
                return nil
            }
        } else {
            return nil
        }
        guard skip(":"), let minute = number(2...2) else { return nil }
        var second = 0
        if skip(":") {
            guard let s = number(2...2) else { return nil }
            second = s
        }
        if month >= 1, bytes.first == UInt8(ascii: " "), us {
            bytes = bytes.dropFirst()
            let meridiem = String(decoding: bytes, as: UTF8.self).uppercased()
            bytes = bytes.dropLast(bytes.count)
            guard (1...12).contains(hour), meridiem == "AM" || meridiem == "PM" else { return nil }
            hour = hour % 12 + (meridiem == "PM" ? 12 : 0)
        } else if us {
            return nil
        }
        guard bytes.isEmpty, (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute),
            (0...59).contains(second), day >= 1, day <= CivilDate.daysIn(month: month, year: year)
        else { return nil }
        return CivilDate.daysSince1970(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
    }
}

/// Asterisk's `cdr_csv` `Master.csv`: accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp,
/// lastdata, start, answer, end, duration, billsec, disposition, amaflags; then uniqueid and userfield when they
/// are enabled (each on its own); then peeraccount, linkedid and sequence with `newcdrcolumns`: 16 to 21 columns.
public enum AsteriskCDR {
    public static let dispositions = ["ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"]

    /// The leg one row logs; a row that cannot be one is refused with every reason.
    public static func leg(_ fields: [String], line: Int, times: CallTimes) throws(ValidationFailure) -> CallLeg {
        guard (16...21).contains(fields.count) else {
            throw ValidationFailure(
                field: "row", "has \(fields.count) columns; Asterisk's Master.csv has 16 to 21")
        }
        var v = FieldValidator()
        let src = fields[1].trimmingWhitespace
        let clid = fields[4]
        let (name, number) = callerID(clid)
        let from = src.isEmpty ? number ?? "" : src
        if from.isEmpty { v.add("src", "names no caller (src and clid are empty)") }
        let start = times.parse(fields[9])
        if start == nil { v.add("start", "'\(fields[9])' is not a time like 2026-11-20 14:05:09") }
        let logged = fields[14].trimmingWhitespace
        // As Asterisk writes it nearly always: no need to uppercase it (which allocates a string each row).
        let disposition = dispositions.contains(logged) ? logged : logged.uppercased()
        if !dispositions.contains(disposition) {
            v.add("disposition", "'\(fields[14])' is not one of \(dispositions.joined(separator: ", "))")
        }
        try v.finish()
        let (uniqueID, linkedID, sequence) = identifiers(fields)
        let attempt = linkedID ?? uniqueID ?? "\(from)@\(fields[9])"
        let key = uniqueID.map { id in sequence.map { "\(id)#\($0)" } ?? id } ?? fields.joined(separator: "\u{1F}")
        return CallLeg(
            line: line, key: key, attempt: attempt, from: from, callerName: name,
            to: fields[2].trimmingWhitespace, start: start!, answered: disposition == "ANSWERED",
            disposition: disposition)
    }

    /// The uniqueid, linkedid and sequence a row carries, by its column count: three or more after the 16 are
    /// `newcdrcolumns` (its last three: peeraccount, linkedid, sequence); before them uniqueid and userfield, or
    /// just one of the two, where a value shaped like Asterisk's ids (`1700000000.42`, `host-1700000000.42`) is the
    /// uniqueid.
    static func identifiers(_ fields: [String]) -> (uniqueID: String?, linkedID: String?, sequence: String?) {
        var optional = Array(fields.dropFirst(16))
        var linkedID: String?
        var sequence: String?
        if optional.count >= 3 {
            linkedID = optional[optional.count - 2].nilIfEmpty
            sequence = optional[optional.count - 1].nilIfEmpty
            optional.removeLast(3)
        }
        switch optional.count {
        case 2: return (optional[0].nilIfEmpty, linkedID, sequence)
        case 1 where looksLikeID(optional[0]): return (optional[0].nilIfEmpty, linkedID, sequence)
        default: return (nil, linkedID, sequence)
        }
    }

    /// `"John Smith" <5551234>` → ("John Smith", "5551234"); a bare number is a number, a bare name a name.
    static func callerID(_ clid: String) -> (name: String?, number: String?) {
        let text = clid.trimmingWhitespace
        guard let open = text.utf8.lastIndex(of: UInt8(ascii: "<")),
            let close = text.utf8.lastIndex(of: UInt8(ascii: ">")), open < close
        else {
            return hasLetter(text) ? (text.nilIfEmpty, nil) : (nil, text.nilIfEmpty)
        }
        let number = String(text[text.index(after: open)..<close]).trimmingWhitespace
        let name = String(text[..<open]).trimmingWhitespace
            .trimmingQuotes
        return (name.nilIfEmpty, number.nilIfEmpty)
    }

    /// Whether a caller-id holds a letter: in ASCII text (nearly every one) by its bytes, without looking up each
    /// character's Unicode properties.
    static func hasLetter(_ text: String) -> Bool {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return text.contains(where: \.isLetter) }
        return text.utf8.contains { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20) }
    }

    /// `1700000000.42`, optionally after a system name and a dash.
    static func looksLikeID(_ text: String) -> Bool {
        let id = text.split(separator: "-").last.map(String.init) ?? text
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}

extension String {
    fileprivate var nilIfEmpty: String? {
        let trimmed = trimmingWhitespace
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// FreeSWITCH's `mod_cdr_csv` with its default template: caller_id_name, caller_id_number, destination_number,
/// context, start_stamp, answer_stamp, end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid, accountcode,
/// then read_codec and write_codec (13 columns and more are read). A leg was answered when it has an answer time.
public enum FreeSWITCHCDR {
    public static func leg(_ fields: [String], line: Int, times: CallTimes) throws(ValidationFailure) -> CallLeg {
        guard fields.count >= 13 else {
            throw ValidationFailure(
                field: "row", "has \(fields.count) columns; FreeSWITCH's default CDR template has 13 or more")
        }
        var v = FieldValidator()
        let from = fields[1].trimmingWhitespace
        if from.isEmpty { v.add("caller_id_number", "is empty") }
        let start = times.parse(fields[4])
        if start == nil { v.add("start_stamp", "'\(fields[4])' is not a time like 2026-11-20 14:05:09") }
        let answer = fields[5].trimmingWhitespace
        if !answer.isEmpty, times.parse(answer) == nil {
            v.add("answer_stamp", "'\(answer)' is not a time like 2026-11-20 14:05:09")
        }
        let uuid = fields[10].trimmingWhitespace
        if uuid.isEmpty { v.add("uuid", "is empty") }
        try v.finish()
        let cause = fields[9].trimmingWhitespace.uppercased()
        let name = fields[0].trimmingWhitespace
        return CallLeg(
            line: line, key: uuid, attempt: uuid, from: from, callerName: name.isEmpty ? nil : name,
            to: fields[2].trimmingWhitespace, start: start!, answered: !answer.isEmpty,
            disposition: cause.isEmpty ? (answer.isEmpty ? "NO ANSWER" : "ANSWERED") : cause)
    }
}

/// The call-record layouts Daymaker reads: two PBXs' own, and any CSV with a header row (see ``GenericCallCSV``).
public enum CallRecordFormat: String, CaseIterable, Sendable {
    case asterisk, freeswitch, csv
}

/// A carrier's or PBX's CSV with a header row, its columns named by a mapping: `from` (the caller's number) and
/// `start` are required; `status` (answered when it says answered, completed, connected, success, ok or yes; a
/// file without it lists calls that did not get through), `to`, `id` (one leg's id) and `name` (the caller's) are
/// optional. Unmapped, a column named like the key is taken (`From`, `start`, …).
public struct GenericCallCSV: Sendable {
    public static let keys = ["from", "start", "status", "to", "id", "name"]
    static let answeredWords: Set<String> = ["answered", "answer", "completed", "connected", "success", "ok", "yes"]

    private let columns: [String: Int]

    /// `mapping` as given: `from=Caller,start=Date,status=Result` (nil: the header's own names).
    public init(header: [String], mapping: String?) throws(ValidationFailure) {
        var v = FieldValidator()
        var named: [String: String] = Dictionary(uniqueKeysWithValues: Self.keys.map { ($0, $0) })
        for pair in (mapping ?? "").split(separator: ",").map({ String($0).trimmingWhitespace })
        where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingWhitespace }
            guard parts.count == 2, Self.keys.contains(parts[0].lowercased()), !parts[1].isEmpty else {
                v.add("map", "'\(pair)' is not KEY=COLUMN with KEY one of \(Self.keys.joined(separator: ", "))")
                continue
            }
            named[parts[0].lowercased()] = parts[1]
        }
        try v.finish()
        let positions = Dictionary(
            header.enumerated().map { ($1.trimmingWhitespace.lowercased(), $0) },
            uniquingKeysWith: { first, _ in first })
        var columns: [String: Int] = [:]
        for key in Self.keys {
            if let position = positions[named[key]!.lowercased()] { columns[key] = position }
        }
        for key in ["from", "start"] where columns[key] == nil {
            v.add("map", "no column '\(named[key]!)' in the header for \(key); name it as in --map \(key)=COLUMN")
        }
        try v.finish()
        self.columns = columns
    }

    public func leg(_ fields: [String], line: Int, times: CallTimes) throws(ValidationFailure) -> CallLeg {
        func value(_ key: String) -> String? {
            guard let index = columns[key], index < fields.count else { return nil }
            let text = fields[index].trimmingWhitespace
            return text.isEmpty ? nil : text
        }
        var v = FieldValidator()
        let from = value("from")
        if from == nil { v.add("from", "is empty") }
        let start = value("start").flatMap(times.parse)
        if start == nil {
            v.add("start", "'\(value("start") ?? "")' is not a time like 2026-11-20 14:05:09 or 11/20/2026 2:05:09 PM")
        }
        try v.finish()
        let status = value("status") ?? "NO ANSWER"
        let id = value("id")
        return CallLeg(
            line: line, key: id ?? fields.joined(separator: "\u{1F}"),
            attempt: id ?? "\(from!)@\(start!.timeIntervalSince1970)",
            from: from!, callerName: value("name"), to: value("to") ?? "", start: start!,
            answered: Self.answeredWords.contains(status.lowercased()), disposition: status.uppercased())
    }
}

extension String {
    /// Without the double quotes around it (`"John Smith"` → `John Smith`).
    fileprivate var trimmingQuotes: String {
        var text = Substring(self)
        while text.first == "\"" { text = text.dropFirst() }
        while text.last == "\"" { text = text.dropLast() }
        return String(text)
    }
}
