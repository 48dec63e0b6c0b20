import DaymakerCore
import Fluent
import Foundation

/// Imports bookings from CSV. Importing the same file twice changes nothing.
///
/// A row is matched to a stored booking by its `external_id` when it has one, otherwise by its natural key
/// (customer, kind and start); a match is updated only where the row differs, and its confirmation stays unless
/// the row says another `status`. Bad rows are reported with their line and never stop the good ones.
///
/// Columns (header row required, any order, any case): `customer_number`, `kind`, `starts_at`, and optionally
/// `pick_up`, `drop_off`, `notes`, `status`, `external_id`. `starts_at` is ISO 8601 with a zone
/// (`2026-11-24T09:30:00-06:00`) or local time in the program's zone (`2026-11-24 09:30`).
///
/// The file is read a row at a time and stored in batches of `Limits.lookupChunk` rows, each in its own
/// transaction (so a long import never holds the database's write lock for long); an interrupted import is finished
/// by running it again.
enum BookingImport {
    static let required = ["customer_number", "kind", "starts_at"]
    static let optional = ["pick_up", "drop_off", "notes", "status", "external_id"]

    /// A row that passed the checks that need no database.
    private struct Candidate {
        var line: Int
        var customerNumber: String
        var externalID: String?
        var kind: String?
        var startsAt: Date?
        var pickUp: String?
        var dropOff: String?
        var notes: String?
        var status: Booking.Status?
    }

    static func run(csv bytes: [UInt8], program: Program, on db: any Database) async throws -> ImportReport {
        var rows = CSVRows(bytes, maxFields: Limits.csvFieldsPerRow, maxFieldBytes: Limits.csvBytesPerField)
        guard let header = rows.next() else { throw ValidationFailure(field: "file", "is empty") }
        if let error = header.error { throw ValidationFailure(field: "line \(header.line)", "the header row \(error)") }
        let names = header.fields.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_")
        }
        let missing = required.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw ValidationFailure(field: "header", "missing column(s): \(missing.joined(separator: ", "))")
        }
        let unknown = names.filter { !(required + optional).contains($0) }
        guard unknown.isEmpty else {
            throw ValidationFailure(field: "header", "unknown column(s): \(unknown.joined(separator: ", "))")
        }
        let rowCount = bytes.reduce(into: 0) { count, byte in if byte == UInt8(ascii: "\n") { count += 1 } }
        guard rowCount <= Limits.importRows + 1 else {
            throw ValidationFailure(
                field: "file", "has more than \(Limits.importRows) rows; split it into smaller files")
        }

        let times = TimeParser(zone: program.zone)
        var report = ImportReport(created: 0, updated: 0, unchanged: 0, rejected: [])
        var seenExternal: [String: Int] = [:]
        var seenNatural: [String: Int] = [:]
        var batch: [Candidate] = []
        while let row = rows.next() {
            if let error = row.error {
                report.rejected.append(.init(line: row.line, errors: [.init(field: "row", detail: error.description)]))
                continue
            }
            var fields: [String: String] = [:]
            for (index, name) in names.enumerated() where index < row.fields.count {
                fields[name] = row.fields[index].trimmingCharacters(in: .whitespaces)
            }
            var errors: [FieldError] = []
            if row.fields.count != names.count {
                errors.append(
                    .init(field: "row", detail: "has \(row.fields.count) fields; the header has \(names.count)"))
            }
            let number = fields["customer_number"] ?? ""
            if number.isEmpty { errors.append(.init(field: "customer_number", detail: "is required")) }
            let startsAt = fields["starts_at"].flatMap(times.parse)
            if startsAt == nil, fields["starts_at"]?.isEmpty == false {
                errors.append(
                    .init(
                        field: "starts_at", detail: "'\(fields["starts_at"] ?? "")' is not a time like 2026-11-24 09:30"
                    ))
            }
            var status: Booking.Status?
            if let raw = fields["status"]?.nilIfBlank {
                status = Booking.Status(rawValue: raw.lowercased())
                if status == nil {
                    errors.append(.init(field: "status", detail: "must be one of \(Booking.Status.choices)"))
                }
            }
            let external = fields["external_id"]?.nilIfBlank
            if let external {
                if let first = seenExternal[external] {
                    errors.append(.init(field: "external_id", detail: "\(external) is already on line \(first)"))
                } else {
                    seenExternal[external] = row.line
                }
            } else if let startsAt, let kind = fields["kind"]?.nilIfBlank {
                let key = "\(number)\u{1F}\(kind.lowercased())\u{1F}\(startsAt.timeIntervalSince1970)"
                if let first = seenNatural[key] {
                    errors.append(.init(field: "row", detail: "same customer, kind and start as line \(first)"))
                } else {
                    seenNatural[key] = row.line
                }
            }
            if !errors.isEmpty {
                report.rejected.append(.init(line: row.line, errors: errors))
                continue
            }
            batch.append(
                Candidate(
                    line: row.line, customerNumber: number, externalID: external, kind: fields["kind"],
                    startsAt: startsAt,
                    pickUp: fields["pick_up"], dropOff: fields["drop_off"], notes: fields["notes"], status: status))
            if batch.count == Limits.lookupChunk {
                try await store(batch, program: program, into: &report, on: db)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await store(batch, program: program, into: &report, on: db) }
        report.rejected.sort { $0.line < $1.line }
        return report
    }

    /// Looks up one batch's customers and bookings (one `IN` list each, within the bind limits) and stores it.
    private static func store(
        _ batch: [Candidate], program: Program, into report: inout ImportReport, on db: any Database
    ) async throws {
        let programID = try program.requireID()
        let customers = try await Customer.query(on: db).filter(\.$program.$id == programID)
            .filter(\.$customerNumber ~~ Set(batch.map(\.customerNumber))).all()
        let customerIDs = Dictionary(
            customers.compactMap { c in c.id.map { (c.customerNumber, $0) } }, uniquingKeysWith: { a, _ in a })
        let externals = Set(batch.compactMap(\.externalID))
        let byExternal =
            externals.isEmpty
            ? [:]
            : Dictionary(
                try await Booking.query(on: db).filter(\.$programID == programID).filter(\.$externalID ~~ externals)
                    .all()
                    .compactMap { b in b.externalID.map { ($0, b) } }, uniquingKeysWith: { a, _ in a })
        let natural = batch.filter { $0.externalID == nil }
        let byNaturalKey =
            natural.isEmpty
            ? [:]
            : Dictionary(
                try await Booking.query(on: db).filter(\.$programID == programID).filter(\.$externalID == nil)
                    .filter(\.$customer.$id ~~ Set(natural.compactMap { customerIDs[$0.customerNumber] }))
                    .filter(\.$startsAt ~~ Set(natural.compactMap(\.startsAt))).all()
                    .map { (naturalKey($0.$customer.id, $0.kind, $0.startsAt), $0) }, uniquingKeysWith: { a, _ in a })

        var changed: [(booking: Booking, isNew: Bool)] = []
        for candidate in batch {
            guard let customerID = customerIDs[candidate.customerNumber] else {
                report.rejected.append(
                    .init(
                        line: candidate.line,
                        errors: [
                            .init(
                                field: "customer_number",
                                detail: "no customer \(candidate.customerNumber) in \(program.code)")
                        ]))
                continue
            }
            let existing =
                candidate.externalID.map { byExternal[$0] }
                ?? candidate.kind.flatMap { kind in
                    candidate.startsAt.flatMap { byNaturalKey[naturalKey(customerID, kind.lowercased(), $0)] }
                }
            let draft: Booking.Draft
            do {
                draft = try Booking.Draft.validate(
                    kind: candidate.kind, startsAt: candidate.startsAt, pickUp: candidate.pickUp,
                    dropOff: candidate.dropOff,
                    notes: candidate.notes, status: candidate.status ?? existing?.status)
            } catch {
                report.rejected.append(
                    .init(
                        line: candidate.line,
                        errors: error.errors.map { .init(field: snake($0.field), detail: $0.detail) }))
                continue
            }
            let booking = existing ?? Booking()
            if let existing, existing.$customer.id == customerID, existing.matches(draft) {
                report.unchanged += 1
                continue
            }
            booking.programID = programID
            booking.$customer.id = customerID
            booking.externalID = candidate.externalID
            booking.apply(draft)
            changed.append((booking, existing == nil))
        }
        guard !changed.isEmpty else { return }
        let bookings = changed.map(\.booking)
        try await db.writeTransaction { tx in
            for booking in bookings { try await booking.save(on: tx) }
        }
        report.created += changed.filter(\.isNew).count
        report.updated += changed.filter { !$0.isNew }.count
    }

    private static func naturalKey(_ customerID: UUID, _ kind: String, _ startsAt: Date) -> String {
        "\(customerID)\u{1F}\(kind)\u{1F}\(startsAt.timeIntervalSince1970)"
    }

    /// Reads `starts_at`: ISO 8601 with a zone, or `yyyy-MM-dd HH:mm[:ss]` / `yyyy-MM-ddTHH:mm` in the program's
    /// zone. The formatters are made once per import, not once per row.
    struct TimeParser {
        private let formatters: [DateFormatter]
        private let iso = ISO8601DateFormatter()
        private let isoFractional = ISO8601DateFormatter()

        init(zone: TimeZone) {
            isoFractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            formatters = ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"].map
            { format in
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = zone
                formatter.dateFormat = format
                return formatter
            }
        }

        func parse(_ text: String) -> Date? {
            if let date = iso.date(from: text) ?? isoFractional.date(from: text) { return date }
            for formatter in formatters { if let date = formatter.date(from: text) { return date } }
            return nil
        }
    }

    private static func snake(_ field: String) -> String {
        ["startsAt": "starts_at", "pickUp": "pick_up", "dropOff": "drop_off"][field] ?? field
    }
}
