/// Reads RFC 4180 CSV: quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF or LF, a leading
/// UTF-8 byte order mark. It holds at most one row — `maxFields` fields of at most `maxFieldBytes` bytes each — so a
/// file of any length streams through it in bounded memory, in chunks of any size: feed each chunk (or byte) as it
/// arrives, take the rows that come back, and call `finish()` at the end. A row that breaks a cap, holds invalid
/// UTF-8 or a NUL byte, or never closes a quote comes back with its error and line number (the rest of that row is
/// skipped), so one bad line never stops the others. A good row also comes with its text as written (without the
/// line break), for keeping the record as logged.
public struct CSVReader: Sendable {
    public enum RowError: Error, Equatable, Sendable, CustomStringConvertible {
        case tooManyFields(max: Int)
        case fieldTooLong(maxBytes: Int)
        case invalidUTF8
        case nul
        case unterminatedQuote

        public var description: String {
            switch self {
            case .tooManyFields(let max): "has more than \(max) fields"
            case .fieldTooLong(let maxBytes): "has a field longer than \(maxBytes) bytes"
            case .invalidUTF8: "is not valid UTF-8 text"
            case .nul: "contains a NUL byte"
            case .unterminatedQuote: "opens a quoted field that is never closed"
            }
        }
    }

    public struct Row: Equatable, Sendable {
        /// 1-based line number where the row starts in the file.
        public var line: Int
        public var fields: [String]
        public var error: RowError?
        /// The row as written, quotes and all, without its line break (empty for a row with an error).
        public var text: String

        public init(line: Int, fields: [String], error: RowError? = nil, text: String = "") {
            self.line = line
            self.fields = fields
            self.error = error
            self.text = text
        }
    }

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"),
        lf = UInt8(ascii: "\n")

    private let maxFields: Int
    private let maxFieldBytes: Int
    /// The first bytes of the file while they may still be a byte order mark; nil once decided.
    private var head: [UInt8]? = []
    private var fields: [String] = []
    private var field: [UInt8] = []
    /// Whether the field holds ASCII only (as most do): its text needs no check.
    private var ascii = true
    /// The row's bytes as written so far (none once it has an error).
    private var written: [UInt8] = []
    private var error: RowError?
    private var inQuotes = false
    /// A quote seen inside quotes: the end of the field, or the first of a doubled quote.
    private var quoteInQuotes = false
    /// Whether the row has begun (a comma or a quote makes an otherwise empty line a row).
    private var started = false
    /// A row just ended with CR: a LF right after it belongs to the same line break.
    private var afterCR = false
    private var line = 1
    private var rowLine = 1

    public init(maxFields: Int = 32, maxFieldBytes: Int = 4096) {
        self.maxFields = maxFields
        self.maxFieldBytes = maxFieldBytes
    }

    /// Reads a chunk; the rows it completes are added to `rows` (empty lines are skipped). The same as reading
    /// its bytes one at a time, faster: the bytes between commas, quotes and line breaks are taken a run at a time.
    public mutating func read(_ chunk: UnsafeBufferPointer<UInt8>, into rows: inout [Row]) {
        var index = 0
        while head != nil, index < chunk.count {
            if let row = read(chunk[index]) { rows.append(row) }
            index += 1
        }
        while index < chunk.count {
            if !afterCR && !quoteInQuotes {
                if !inQuotes, chunk[index] == Self.quote, let close = Self.closingQuote(in: chunk, after: index) {
                    // A quoted field with no doubled quote and no line break in it (most of a PBX's): taken whole,
                    // as `consume` would take its bytes one by one.
                    write(Self.quote)
                    append(UnsafeBufferPointer(rebasing: chunk[(index + 1)..<close]))
                    write(Self.quote)
                    started = true
                    index = close + 1
                    continue
                }
                // A run of ordinary bytes: up to the next byte that means something here.
                var end = index
                if inQuotes {
                    while end < chunk.count, chunk[end] != Self.quote, chunk[end] != Self.lf, chunk[end] != 0 {
                        end += 1
                    }
                } else {
                    while end < chunk.count, !Self.special(chunk[end]) { end += 1 }
                }
                if end > index {
                    append(UnsafeBufferPointer(rebasing: chunk[index..<end]))
                    if !inQuotes { started = true }
                    index = end
                    continue
                }
            }
            if let row = consume(chunk[index]) { rows.append(row) }
            index += 1
        }
    }

    /// Where the quoted field opened at `open` closes, when it closes within the chunk before its last byte, is
    /// not followed by a second quote, and holds no line break or NUL (each of which `consume` must see).
    private static func closingQuote(in chunk: UnsafeBufferPointer<UInt8>, after open: Int) -> Int? {
        var at = open + 1
        while at < chunk.count {
            switch chunk[at] {
            case quote: return at + 1 < chunk.count && chunk[at + 1] != quote ? at : nil
            case lf, 0: return nil
            default: at += 1
            }
        }
        return nil
    }

    private static func special(_ byte: UInt8) -> Bool {
        byte == quote || byte == comma || byte == cr || byte == lf || byte == 0
    }

    /// Reads one byte; returns the row it completes, if any (empty lines are skipped).
    public mutating func read(_ byte: UInt8) -> Row? {
        guard var pending = head else { return consume(byte) }
        pending.append(byte)
        if Self.byteOrderMark.starts(with: pending) {
            head = pending.count == Self.byteOrderMark.count ? nil : pending
            return nil
        }
        head = nil
        // At most the last of these bytes can end a row: the ones before it are a prefix of the mark.
        var row: Row?
        for byte in pending { row = consume(byte) ?? row }
        return row
    }

    /// Ends the input; returns the last row when the file does not end with a line break.
    public mutating func finish() -> Row? {
        if let pending = head {
            head = nil
            for byte in pending { _ = consume(byte) }
        }
        if quoteInQuotes {
            quoteInQuotes = false
            inQuotes = false
        }
        defer { reset() }
        if inQuotes { return Row(line: rowLine, fields: [], error: error ?? .unterminatedQuote) }
        return endRow()
    }

    private mutating func consume(_ byte: UInt8) -> Row? {
        if afterCR {
            afterCR = false
            if byte == Self.lf { return nil }
        }
        if quoteInQuotes {
            quoteInQuotes = false
            if byte == Self.quote {
                write(byte)
                append(byte)
                return nil
            }
            inQuotes = false
        }
        if inQuotes {
            write(byte)
            if byte == Self.quote {
                quoteInQuotes = true
            } else {
                if byte == Self.lf { line += 1 }
                append(byte)
            }
            return nil
        }
        switch byte {
        case Self.quote:
            write(byte)
            inQuotes = true
            started = true
        case Self.comma:
            write(byte)
            finishField()
            started = true
        case Self.cr, Self.lf:
            afterCR = byte == Self.cr
            line += 1
            defer { reset() }
            return endRow()
        default:
            write(byte)
            append(byte)
            started = true
        }
        return nil
    }

    /// Keeps a byte of the row as written.
    private mutating func write(_ byte: UInt8) {
        if error == nil { written.append(byte) }
    }

    /// The row read so far, or nil for an empty line.
    private mutating func endRow() -> Row? {
        if !started && field.isEmpty && fields.isEmpty && error == nil { return nil }
        finishField()
        guard error == nil else { return Row(line: rowLine, fields: [], error: error) }
        return Row(line: rowLine, fields: fields, text: String(decoding: written, as: UTF8.self))
    }

    private mutating func reset() {
        fields.removeAll(keepingCapacity: true)
        field.removeAll(keepingCapacity: true)
        written.removeAll(keepingCapacity: true)
        ascii = true
        error = nil
        inQuotes = false
        started = false
        rowLine = line
    }

    private mutating func finishField() {
        defer {
            field.removeAll(keepingCapacity: true)
            ascii = true
        }
        guard error == nil else { return }
        guard fields.count < maxFields else {
            error = .tooManyFields(max: maxFields)
            return
        }
        if ascii {
            fields.append(String(decoding: field, as: UTF8.self))
            return
        }
        guard let text = String(validating: field, as: UTF8.self) else {
            error = .invalidUTF8
            return
        }
        fields.append(text)
    }

    private mutating func append(_ byte: UInt8) {
        guard error == nil else { return }
        if byte == 0 {
            error = .nul
        } else if field.count >= maxFieldBytes {
            error = .fieldTooLong(maxBytes: maxFieldBytes)
        } else {
            if byte >= 0x80 { ascii = false }
            field.append(byte)
        }
    }

    /// A run of bytes that are neither NUL nor mean anything where they are, into the field and the row as written.
    private mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard error == nil else { return }
        if field.count + run.count > maxFieldBytes {
            error = .fieldTooLong(maxBytes: maxFieldBytes)
        } else {
            if ascii, run.contains(where: { $0 >= 0x80 }) { ascii = false }
            field.append(contentsOf: run)
            written.append(contentsOf: run)
        }
    }
}

/// The rows of a file already in memory, read one at a time as they are asked for.
public struct CSVRows<Bytes: Collection<UInt8>>: Sequence, IteratorProtocol {
    private let bytes: Bytes
    private var index: Bytes.Index
    private var reader: CSVReader
    private var finished = false

    public init(_ bytes: Bytes, maxFields: Int = 32, maxFieldBytes: Int = 4096) {
        self.bytes = bytes
        self.index = bytes.startIndex
        self.reader = CSVReader(maxFields: maxFields, maxFieldBytes: maxFieldBytes)
    }

    public mutating func next() -> CSVReader.Row? {
        while index != bytes.endIndex {
            let byte = bytes[index]
            bytes.formIndex(after: &index)
            if let row = reader.read(byte) { return row }
        }
        guard !finished else { return nil }
        finished = true
        return reader.finish()
    }
}
