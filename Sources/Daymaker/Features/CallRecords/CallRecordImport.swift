import DaymakerCore
import Fluent
import FluentPostgresDriver
// SQLiteData: the values the writer's connection binds (see `SQLiteHandle`).
import FluentSQLiteDriver
import Foundation
import SQLKit
import Synchronization

/// Imports a PBX's call records (Asterisk's `Master.csv`, FreeSWITCH's default CDR CSV, or any CSV with a header
/// row and a column mapping, see `GenericCallCSV`) for a program: every leg is kept with its row as
/// logged, and folded into its call (`CallAttempts`); importing the same file again adds nothing (each leg is unique
/// by its source's id). The file streams
/// through in bounded memory, stored in batches each in a transaction of its own, so an import killed half-way
/// leaves whole batches only and is finished by running it again. A row that is not a call record is reported
/// with its line and why, and never stops the others.
struct CallRecordImport {
    /// What an import did.
    struct Report: Sendable {
        var rows = 0
        /// Legs stored now, and legs stored by an earlier import (or twice in the file).
        var kept = 0
        var duplicates = 0
        /// Attempts of this file (legs grouped by call) that no leg answered, and that one did.
        var missed = 0
        var gotThrough = 0
        var rejected: [(line: Int, errors: [FieldError])] = []
    }

    /// Rows per transaction (on PostgreSQL, per statement).
    static let batchSize = 5_000

    let program: Program
    let format: CallRecordFormat
    /// For `csv`: the `--map` given, and the layout its header row makes.
    let mapping: String?
    private var layout: GenericCallCSV?
    let times: CallTimes
    let now: Date
    /// On SQLite, the connection the legs are written on.
    private let writer: SQLiteWriter?
    private var reader = CSVReader(maxFields: 32, maxFieldBytes: 4096)
    private var batch: [(leg: CallLeg, raw: String)] = []
    /// The batches handed on and not yet stored, oldest first (each its size, and how many of its legs were new).
    private var writing: [(Int, Task<Int, any Error>)] = []
    /// Whether any leg of each attempt was answered, by the attempt's fingerprint (a million calls fit in a few
    /// megabytes).
    private var attempts: [UInt64: Bool] = [:]
    /// Caller ids read so far and what they are (E.164 or why not): callers call again and again.
    private let numbers = NumberBook()
    private(set) var report = Report()

    init(
        program: Program, format: CallRecordFormat = .asterisk, mapping: String? = nil, zone: TimeZone? = nil,
        now: Date, events: Events
    ) {
        self.writer = events.sqliteWriter
        self.program = program
        self.format = format
        self.mapping = mapping
        self.times = CallTimes(zone: zone ?? program.zone)
        self.now = now
    }

    /// Reads the next bytes of the file, storing each batch as it fills.
    mutating func read(_ bytes: some Sequence<UInt8>, on db: any Database) async throws {
        var rows: [CSVReader.Row] = []
        if bytes.withContiguousStorageIfAvailable({ reader.read($0, into: &rows) }) == nil {
            for byte in bytes { reader.read(byte).map { rows.append($0) } }
        }
        for row in rows { try await take(row, on: db) }
    }

    /// Ends the file: the last row and batch, and the attempts' tally.
    mutating func finish(on db: any Database) async throws -> Report {
        if let row = reader.finish() { try await take(row, on: db) }
        try await store(on: db)
        while !writing.isEmpty { try await stored() }
        report.missed = attempts.values.filter { !$0 }.count
        report.gotThrough = attempts.count - report.missed
        return report
    }

    private mutating func take(_ row: CSVReader.Row, on db: any Database) async throws {
        if format == .csv, layout == nil {
            // The header row: one that cannot be read, or a mapping it cannot satisfy, stops the import before
            // anything is stored.
            if let error = row.error { throw ValidationFailure(field: "line \(row.line)", "the header row \(error)") }
            layout = try GenericCallCSV(header: row.fields, mapping: mapping)
            return
        }
        report.rows += 1
        if let error = row.error {
            report.rejected.append((row.line, [.init(field: "row", detail: error.description)]))
            return
        }
        do {
            let leg: CallLeg
            switch format {
            case .asterisk: leg = try AsteriskCDR.leg(row.fields, line: row.line, times: times)
            case .freeswitch: leg = try FreeSWITCHCDR.leg(row.fields, line: row.line, times: times)
            case .csv: leg = try layout!.leg(row.fields, line: row.line, times: times)
            }
            let attempt = Fingerprint.of(leg.attempt)
            attempts[attempt] = (attempts[attempt] ?? false) || leg.answered
            batch.append((leg, row.text))
        } catch {
            report.rejected.append((row.line, error.errors))
        }
        if batch.count >= Self.batchSize { try await store(on: db) }
    }

    /// Hands the batch on to be stored in one transaction, after the one before it: while a batch's caller ids
    /// are read and it is written (in that order, in a task of its own), the next is read from the file. At most
    /// two batches are handed on at a time: one having its numbers read while the other is written.
    private mutating func store(on db: any Database) async throws {
        guard !batch.isEmpty else { return }
        if writing.count >= 2 { try await stored() }
        let legs = batch
        batch.removeAll(keepingCapacity: true)
        let into = Into(program: try program.requireID(), source: format.rawValue, now: now)
        let (writer, numbers, country, before) = (writer, numbers, program.country, writing.last?.1)
        writing.append(
            (
                legs.count,
                Task {
                    let rows = legs.map { leg, raw in
                        let (from, problem) = numbers.number(leg.from, country: country)
                        return Stored(leg: leg, from: from, problem: problem, raw: raw)
                    }
                    let calls = Call.fold(rows)
                    // Batches are written in the file's order (the first of two same legs is the one kept).
                    _ = try await before?.value
                    if let writer { return try await into.insert(rows, calls, on: writer) }
                    return try await into.insert(rows, calls, on: db)
                }
            ))
    }

    /// Waits for the oldest batch handed on to be stored; legs stored before are counted as duplicates.
    private mutating func stored() async throws {
        guard !writing.isEmpty else { return }
        let (count, task) = writing.removeFirst()
        let inserted = try await task.value
        report.kept += inserted
        report.duplicates += count - inserted
    }

    /// Caller ids already read (E.164 or why not), shared by the batches' tasks; forgotten past 100,000.
    private final class NumberBook: Sendable {
        private let known = Mutex<[String: (String, String?)]>([:])

        func number(_ raw: String, country: String) -> (String, String?) {
            if let found = known.withLock({ $0[raw] }) { return found }
            let found = CallRecordImport.number(raw, country: country)
            known.withLock { known in
                if known.count > 100_000 { known.removeAll(keepingCapacity: true) }
                known[raw] = found
            }
            return found
        }
    }

    /// A leg as it is stored.
    private struct Stored: Sendable {
        var leg: CallLeg
        var from: String
        var problem: String?
        var raw: String
    }

    /// A batch's legs folded into their calls (see `CallAttempts`), in the order the calls first come.
    private struct Call: Sendable {
        var key: String
        var number: String
        var problem: String?
        var start: Date
        var answered: Bool

        static func fold(_ rows: [Stored]) -> [Call] {
            var calls: [Call] = []
            calls.reserveCapacity(rows.count)
            var found: [String: Int] = [:]
            found.reserveCapacity(rows.count)
            // By index: each leg's fields read in place, the leg not copied.
            for index in rows.indices {
                let (key, start, answered) = (rows[index].leg.attempt, rows[index].leg.start, rows[index].leg.answered)
                guard let at = found[key] else {
                    found[key] = calls.count
                    calls.append(
                        Call(
                            key: key, number: rows[index].from, problem: rows[index].problem, start: start,
                            answered: answered))
                    continue
                }
                if start < calls[at].start {
                    (calls[at].number, calls[at].problem, calls[at].start) = (
                        rows[index].from, rows[index].problem, start
                    )
                }
                if answered { calls[at].answered = true }
            }
            return calls
        }
    }

    /// Where legs and their calls are stored, and how many legs were new.
    private struct Into: Sendable {
        let program: UUID
        let source: String
        let now: Date

        static let columns = [
            "id", "program_id", "source", "leg_key", "attempt_key", "from_address", "from_problem", "caller_name",
            "to_address", "started_at", "answered", "disposition", "line", "raw", "imported_at",
        ]

        /// On SQLite: one compiled statement run for each leg, and one for each call, on the writer's connection,
        /// their values bound as Fluent's driver writes them.
        func insert(_ rows: [Stored], _ calls: [Call], on writer: SQLiteWriter) async throws -> Int {
            let sql = """
                INSERT INTO \(CallRecord.schema) (\(Self.columns.joined(separator: ", ")))
                VALUES (\(SQLiteHandle.placeholders(Self.columns.count)))
                ON CONFLICT (program_id, source, leg_key) DO NOTHING
                """
            let upsert = """
                INSERT INTO \(CallAttempts.schema) (\(CallAttempts.columns.joined(separator: ", ")))
                VALUES (\(SQLiteHandle.placeholders(CallAttempts.columns.count)))
                \(CallAttempts.onConflict)
                """
            let program = SQLiteData.text(program.uppercaseText)
            let source = SQLiteData.text(source)
            let now = now
            return try await writer.bulkTransaction { _, handle in
                var inserted = 0
                for row in rows {
                    let leg = row.leg
                    try handle.run(
                        sql,
                        [
                            .text(UUID(timeOrderedAt: now).uppercaseText), program, source, .text(leg.key),
                            .text(leg.attempt), .text(row.from), row.problem.map(SQLiteData.text) ?? .null,
                            leg.callerName.map(SQLiteData.text) ?? .null, .text(leg.to),
                            .float(leg.start.timeIntervalSince1970), .integer(leg.answered ? 1 : 0),
                            .text(leg.disposition), .integer(leg.line), .text(row.raw),
                            .float(now.timeIntervalSince1970),
                        ]
                    ) { _ in }
                    inserted += handle.changes
                }
                for call in calls {
                    try handle.run(
                        upsert,
                        [
                            program, .text(call.key), .text(call.number), call.problem.map(SQLiteData.text) ?? .null,
                            .float(call.start.timeIntervalSince1970), .integer(call.answered ? 1 : 0),
                        ]
                    ) { _ in }
                }
                return inserted
            }
        }

        /// On PostgreSQL: the batch in one prepared statement, each column as an array (`InsertLegs`).
        func insert(_ rows: [Stored], _ calls: [Call], on db: any Database) async throws -> Int {
            try await db.writeTransaction { db in
                var bindings = PostgresBindings(capacity: 23)
                bindings.append(program)
                bindings.append(source)
                bindings.append(now)
                bindings.append(rows.map { _ in UUID(timeOrderedAt: now) })
                bindings.append(rows.map(\.leg.key))
                bindings.append(rows.map(\.leg.attempt))
                bindings.append(rows.map(\.from))
                // PostgresNIO binds no array with a null in it: each optional column comes with whether it has a
                // value.
                bindings.append(rows.map { $0.problem ?? "" })
                bindings.append(rows.map { $0.problem != nil })
                bindings.append(rows.map { $0.leg.callerName ?? "" })
                bindings.append(rows.map { $0.leg.callerName != nil })
                bindings.append(rows.map(\.leg.to))
                bindings.append(rows.map(\.leg.start))
                bindings.append(rows.map(\.leg.answered))
                bindings.append(rows.map(\.leg.disposition))
                bindings.append(rows.map(\.leg.line))
                bindings.append(rows.map(\.raw))
                bindings.append(calls.map(\.key))
                bindings.append(calls.map(\.number))
                bindings.append(calls.map { $0.problem ?? "" })
                bindings.append(calls.map { $0.problem != nil })
                bindings.append(calls.map(\.start))
                bindings.append(calls.map(\.answered))
                return try await db.postgresRows(InsertLegs.self, bindings).first?.decode(Int.self) ?? 0
            }
        }
    }

    /// A batch of legs, each column an array in the legs' order (the first of two same legs is the one kept), and
    /// their calls; the number of legs new.
    enum InsertLegs: PreparedText {
        static let name = "call_records_insert_legs"
        static let sql = """
            WITH calls AS (
                INSERT INTO call_attempts (program_id, attempt_key, number, problem, started_at, answered)
                SELECT $1::uuid, attempt_key, number, CASE WHEN has_problem THEN problem END, started_at, answered
                FROM unnest($18::text[], $19::text[], $20::text[], $21::bool[], $22::timestamptz[], $23::bool[])
                    AS call(attempt_key, number, problem, has_problem, started_at, answered)
                \(CallAttempts.onConflict)
            ), inserted AS (
                INSERT INTO call_records (id, program_id, source, leg_key, attempt_key, from_address, from_problem,
                    caller_name, to_address, started_at, answered, disposition, line, raw, imported_at)
                SELECT id, $1::uuid, $2::text, leg_key, attempt_key, from_address,
                    CASE WHEN has_problem THEN from_problem END, CASE WHEN has_name THEN caller_name END, to_address,
                    started_at, answered, disposition, line, raw, $3::timestamptz
                FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bool[], $10::text[],
                    $11::bool[], $12::text[], $13::timestamptz[], $14::bool[], $15::text[], $16::bigint[], $17::text[])
                    AS leg(id, leg_key, attempt_key, from_address, from_problem, has_problem, caller_name, has_name,
                        to_address, started_at, answered, disposition, line, raw)
                ON CONFLICT (program_id, source, leg_key) DO NOTHING
                RETURNING 1
            )
            SELECT count(*) FROM inserted
            """
    }

    /// The layout a caller named (`asterisk` when none).
    static func format(_ name: String?) throws(ValidationFailure) -> CallRecordFormat {
        guard let name = name?.nilIfBlank else { return .asterisk }
        guard let format = CallRecordFormat(rawValue: name) else {
            throw ValidationFailure(
                field: "format",
                "'\(name)' is not a format Daymaker reads: \(CallRecordFormat.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return format
    }

    /// The zone a caller named for the PBX's times (nil when none: the program's).
    static func zone(_ name: String?) throws(ValidationFailure) -> TimeZone? {
        guard let name = name?.nilIfBlank else { return nil }
        guard let zone = TimeZones.named(name) else {
            throw ValidationFailure(field: "zone", "'\(name)' is not an IANA time zone, such as UTC or America/Chicago")
        }
        return zone
    }

    /// The caller's number in E.164 when it is one, else as logged with why it cannot be called.
    static func number(_ raw: String, country: String) -> (String, String?) {
        do {
            return (try PhoneNumber(parsing: raw, defaultCountry: country).e164, nil)
        } catch {
            return (raw, error.description)
        }
    }
}
