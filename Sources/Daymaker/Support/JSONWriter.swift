import DaymakerCore
import Foundation
import Vapor

/// A small JSON writer for the hottest responses (the recognition card is asked for on every contact).
///
/// `JSONEncoder` builds a tree of boxed values before writing a byte; writing straight into a buffer costs a
/// fraction of that. The output matches Daymaker's `JSONEncoder` (ISO 8601 times, absent keys for nil, `/` not
/// escaped); a test holds the two to the same document.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func array<Element>(_ elements: [Element], _ body: (inout JSONWriter, Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { body(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        // Most text needs no escaping and is copied whole.
        if value.utf8.contains(where: Self.needsEscape) {
            for byte in value.utf8 { Self.needsEscape(byte) ? escape(byte) : bytes.append(byte) }
        } else {
            bytes.append(contentsOf: value.utf8)
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Quotes, backslashes and control characters; everything else (`/` included) is written as it is.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
        case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
        case 0..<0x20:
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(Hex.lower[Int(byte >> 4)])
            bytes.append(Hex.lower[Int(byte & 0xf)])
        default: bytes.append(byte)  // a quote or a backslash
        }
    }

    mutating func raw(_ text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    // Fields: every key is written; a nil optional is `null`, so a client generated from the document (where these
    // keys are required and nullable) always finds the key.

    mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { raw("null") }
    }

    mutating func field(_ name: StaticString, _ value: UUID?) { field(name, value?.lowercaseText) }

    mutating func field(_ name: StaticString, _ value: Date?) { field(name, value.map(ISO8601.format)) }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        raw(value ? "true" : "false")
    }

    mutating func field(_ name: StaticString, _ value: Int?) {
        key(name)
        raw(value.map { String($0) } ?? "null")
    }

    mutating func field(_ name: StaticString, _ value: Double?) {
        key(name)
        guard let value, value.isFinite else { return raw("null") }
        raw(value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value))
    }

    mutating func field<Value: RawRepresentable<String>>(_ name: StaticString, _ value: Value?) {
        field(name, value?.rawValue)
    }

    mutating func field(_ name: StaticString, _ value: (some JSONWritable)?) {
        key(name)
        if let value { value.write(to: &self) } else { raw("null") }
    }

    mutating func field(_ name: StaticString, _ values: [some JSONWritable]) {
        key(name)
        array(values) { writer, value in value.write(to: &writer) }
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = false
    }
}

/// A value the fast writer can write.
protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension JSONWritable {
    /// The value as a `200 OK` JSON response.
    func jsonResponse() -> Response {
        var writer = JSONWriter()
        write(to: &writer)
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: writer.bytes)))
    }
}
