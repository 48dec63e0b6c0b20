/// A small RFC 4180 reader: quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF or LF.
enum CSV {
    struct Row: Equatable {
        /// 1-based line number where the row starts in the file.
        var line: Int
        var fields: [String]
    }

    enum Error: Swift.Error, Equatable {
        case unterminatedQuote(line: Int)
    }

    static func parse(_ text: String) throws(Error) -> [Row] {
        var rows: [Row] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var rowStart = 1
        var fieldStarted = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldStarted) { rows.append(Row(line: rowStart, fields: fields)) }
            fields = []
            field = ""
            fieldStarted = false
        }
        while let scalar = pending {
            pending = iterator.next()
            if inQuotes {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                inQuotes = true
                fieldStarted = true
            case ",":
                fields.append(field)
                field = ""
                fieldStarted = true
            case "\r":
                if pending == "\n" { pending = iterator.next() }
                endRow()
                line += 1
                rowStart = line
            case "\n":
                endRow()
                line += 1
                rowStart = line
            default:
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        if inQuotes { throw .unterminatedQuote(line: rowStart) }
        if fieldStarted || !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }
}
