import Fluent
import Foundation

/// Imports bookings from CSV. Good rows are stored (a row with an `external_id` already seen updates that booking),
/// bad rows are reported with their line and never stop the good ones.
///
/// Columns (header row required, any order, any case): `customer_number`, `kind`, `starts_at`, and optionally
/// `pick_up`, `drop_off`, `notes`, `status`, `external_id`. `starts_at` is ISO 8601 with a zone
/// (`2026-11-24T09:30:00-06:00`) or local time in the program's zone (`2026-11-24 09:30`).
enum BookingImport {
    static let required = ["customer_number", "kind", "starts_at"]
    static let optional = ["pick_up", "drop_off", "notes", "status", "external_id"]

    static func run(csv text: String, program: Program, on db: any Database) async throws -> ImportReport {
        let rows: [CSV.Row]
        do {
            rows = try CSV.parse(text)
        } catch .unterminatedQuote(let line) {
            throw Problem.validation(field: "line \(line)", "a quoted field is never closed")
        }
        guard let header = rows.first else { throw Problem.validation(field: "file", "is empty") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_") }
        let missing = required.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw Problem.validation(field: "header", "missing column(s): \(missing.joined(separator: ", "))")
        }
        let unknown = names.filter { !(required + optional).contains($0) }
        guard unknown.isEmpty else {
            throw Problem.validation(field: "header", "unknown column(s): \(unknown.joined(separator: ", "))")
        }
        let programID = try program.requireID()
        let zone = program.zone

        let numbers = Set(rows.dropFirst().compactMap { row in
            names.firstIndex(of: "customer_number").flatMap { $0 < row.fields.count ? row.fields[$0].trimmingCharacters(in: .whitespaces) : nil }
        })
        let customers = try await Customer.query(on: db).filter(\.$program.$id == programID)
            .filter(\.$customerNumber ~~ Array(numbers)).all()
        let customerIDs = Dictionary(customers.compactMap { c in c.id.map { (c.customerNumber, $0) } }, uniquingKeysWith: { a, _ in a })

        var rejected: [ImportReport.Rejected] = []
        var accepted: [(externalID: String?, customerID: UUID, draft: Booking.Draft)] = []
        var seenExternal: Set<String> = []
        for row in rows.dropFirst() {
            var fields: [String: String] = [:]
            for (index, name) in names.enumerated() where index < row.fields.count {
                fields[name] = row.fields[index].trimmingCharacters(in: .whitespaces)
            }
            var errors: [Problem.FieldError] = []
            if row.fields.count != names.count {
                errors.append(.init(field: "row", detail: "has \(row.fields.count) fields; the header has \(names.count)"))
            }
            let number = fields["customer_number"] ?? ""
            let customerID = customerIDs[number]
            if customerID == nil {
                errors.append(.init(field: "customer_number", detail: number.isEmpty ? "is required" : "no customer \(number) in \(program.code)"))
            }
            let startsAt = fields["starts_at"].flatMap { parseTime($0, zone: zone) }
            if startsAt == nil, fields["starts_at"]?.isEmpty == false {
                errors.append(.init(field: "starts_at", detail: "'\(fields["starts_at"] ?? "")' is not a time like 2026-11-24 09:30"))
            }
            var status: Booking.Status?
            if let raw = fields["status"]?.nilIfBlank {
                status = Booking.Status(rawValue: raw.lowercased())
                if status == nil { errors.append(.init(field: "status", detail: "must be scheduled, confirmed or cancelled")) }
            }
            let external = fields["external_id"]?.nilIfBlank
            if let external {
                if seenExternal.contains(external) {
                    errors.append(.init(field: "external_id", detail: "\(external) appears twice in this file"))
                }
                seenExternal.insert(external)
            }
            do {
                let draft = try Booking.Draft.validate(
                    kind: fields["kind"], startsAt: startsAt ?? (fields["starts_at"]?.isEmpty == false ? Date() : nil),
                    pickUp: fields["pick_up"], dropOff: fields["drop_off"], notes: fields["notes"], status: status)
                if errors.isEmpty, let customerID { accepted.append((external, customerID, draft)) }
            } catch {
                errors += (error.errors ?? []).map { .init(field: snake($0.field), detail: $0.detail) }
            }
            if !errors.isEmpty { rejected.append(.init(line: row.line, errors: errors)) }
        }

        let externals = accepted.compactMap(\.externalID)
        let existing = try await Booking.query(on: db).filter(\.$programID == programID).filter(\.$externalID ~~ externals).all()
        let byExternal = Dictionary(existing.compactMap { b in b.externalID.map { ($0, b) } }, uniquingKeysWith: { a, _ in a })
        let toStore = accepted
        let (created, updated) = try await db.transaction { tx -> (Int, Int) in
            var created = 0, updated = 0
            for item in toStore {
                let booking = item.externalID.flatMap { byExternal[$0] } ?? Booking()
                let isNew = booking.id == nil
                booking.programID = programID
                booking.$customer.id = item.customerID
                booking.externalID = item.externalID
                booking.apply(item.draft)
                try await booking.save(on: tx)
                if isNew { created += 1 } else { updated += 1 }
            }
            return (created, updated)
        }
        return ImportReport(created: created, updated: updated, rejected: rejected)
    }

    /// ISO 8601 with a zone, or `yyyy-MM-dd HH:mm[:ss]` / `yyyy-MM-ddTHH:mm` in the program's zone.
    static func parseTime(_ text: String, zone: TimeZone) -> Date? {
        if let date = ISO8601.parse(text) { return date }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        for format in ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    private static func snake(_ field: String) -> String {
        ["startsAt": "starts_at", "pickUp": "pick_up", "dropOff": "drop_off"][field] ?? field
    }
}
