/// Reads RFC 4180 CSV one row at a time from bytes: quoted fields, doubled quotes, commas and line breaks inside
/// quotes, CRLF or LF. Memory stays bounded by one row: at most `maxFields` fields of at most `maxFieldBytes`
/// bytes each. A row that breaks a cap, holds invalid UTF-8 or a NUL byte, or never closes a quote comes back with
/// its error and line number (the rest of that row is skipped), so one bad line never stops the others.
struct CSVReader {
    enum RowError: Error, Equatable, CustomStringConvertible {
        case tooManyFields(max: Int)
        case fieldTooLong(maxBytes: Int)
        case invalidUTF8
        case nul
        case unterminatedQuote

        var description: String {
            switch self {
            case .tooManyFields(let max): "has more than \(max) fields"
            case .fieldTooLong(let maxBytes): "has a field longer than \(maxBytes) bytes"
            case .invalidUTF8: "is not valid UTF-8 text"
            case .nul: "contains a NUL byte"
            case .unterminatedQuote: "opens a quoted field that is never closed"
            }
        }
    }

    struct Row: Equatable {
        /// 1-based line number where the row starts in the file.
        var line: Int
        var fields: [String]
        var error: RowError?
    }

    private let bytes: [UInt8]
    private let maxFields: Int
    private let maxFieldBytes: Int
    private var position = 0
    private var line = 1

    init(bytes: [UInt8], maxFields: Int = Limits.csvFieldsPerRow, maxFieldBytes: Int = Limits.csvBytesPerField) {
        self.bytes = bytes
        self.maxFields = maxFields
        self.maxFieldBytes = maxFieldBytes
        // A UTF-8 byte order mark is not part of the first field.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The next non-empty row, or nil at the end of the input.
    mutating func next() -> Row? {
        while position < bytes.count {
            if let row = readRow() { return row }
        }
        return nil
    }

    private mutating func readRow() -> Row? {
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var error: RowError?
        var inQuotes = false
        var started = false

        func finishField() {
            guard error == nil else { return }
            guard fields.count < maxFields else {
                error = .tooManyFields(max: maxFields)
                return
            }
            guard let text = String(validating: field, as: UTF8.self) else {
                error = .invalidUTF8
                return
            }
            fields.append(text)
        }
        func append(_ byte: UInt8) {
            guard error == nil else { return }
            if byte == 0 { error = .nul } else if field.count >= maxFieldBytes { error = .fieldTooLong(maxBytes: maxFieldBytes) } else { field.append(byte) }
        }

        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                        append(byte)
                        position += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inQuotes = true
                started = true
            case UInt8(ascii: ","):
                finishField()
                field.removeAll(keepingCapacity: true)
                started = true
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                if byte == UInt8(ascii: "\r"), position < bytes.count, bytes[position] == UInt8(ascii: "\n") { position += 1 }
                line += 1
                if !started && field.isEmpty && fields.isEmpty && error == nil { return nil }  // an empty line
                finishField()
                return Row(line: start, fields: error == nil ? fields : [], error: error)
            default:
                append(byte)
                started = true
            }
        }
        if inQuotes { return Row(line: start, fields: [], error: error ?? .unterminatedQuote) }
        if !started && field.isEmpty && fields.isEmpty { return nil }
        finishField()
        return Row(line: start, fields: error == nil ? fields : [], error: error)
    }
}
