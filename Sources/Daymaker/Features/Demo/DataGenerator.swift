import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Fills a database with realistic, deterministic data at scale for benchmarks: several programs, reps,
/// customers with skewed contact frequency (daily and weekly regulars, some whose rhythm broke), households
/// sharing a phone, numbers entered in mixed formats, and a long tail of occasional callers.
struct DataGenerator {
    var customers: Int
    var contacts: Int
    var seed: UInt64
    /// The instant the histories lead up to.
    var now: Date
    /// Called with (stage, done, total) as rows are written.
    var progress: (String, Int, Int) -> Void = { _, _, _ in }

    struct ProgramSpec {
        let code: String
        let name: String
        let timeZone: String
        let country: String
        let share: Double
    }

    static let programs = [
        ProgramSpec(code: "METRO", name: "Metro Paratransit", timeZone: "America/Chicago", country: "US", share: 0.6),
        ProgramSpec(code: "CITY", name: "City Water & Power", timeZone: "America/New_York", country: "US", share: 0.3),
        ProgramSpec(code: "NORTH", name: "Northern Rail Help", timeZone: "Europe/London", country: "GB", share: 0.1),
    ]

    struct Result {
        var customers: Int
        var contacts: Int
        /// Sample lookups for benchmarks: (program code, phone as a person might type it), known and unknown.
        var samplePhones: [(program: String, phone: String, known: Bool)]
    }

    enum Kind { case daily, brokenDaily, weekly, occasional }

    func run(app: Application) async throws -> Result {
        let db = app.db
        if try await Program.query(on: db).filter(\.$code ~~ Self.programs.map(\.code)).count() > 0 {
            throw GeneratorError.alreadyGenerated
        }
        var rng = SeededGenerator(seed: seed)
        var programIDs: [UUID] = []
        for spec in Self.programs {
            let program = Program(code: spec.code, name: spec.name, timeZone: spec.timeZone, country: spec.country)
            try await program.create(on: db)
            programIDs.append(try program.requireID())
        }
        // Fifty reps per program share one password hash (they are not meant to sign in).
        let hash = try await app.hashPassword(SecureToken.random())
        var reps: [[UUID]] = []
        for (index, spec) in Self.programs.enumerated() {
            var ids: [UUID] = []
            for number in 1...50 {
                let user = User(
                    email: "rep\(number)@\(spec.code.lowercased()).generated.test",
                    fullName: "Rep \(number) \(spec.code)",
                    displayName: Self.firstNames[number % Self.firstNames.count], role: .rep, passwordHash: hash)
                try await user.create(on: db)
                try await user.$programs.attach(Program.find(programIDs[index], on: db)!, on: db)
                ids.append(try user.requireID())
            }
            reps.append(ids)
        }

        // Decide who each customer is and how many contacts they get, so the total is exactly `contacts`.
        var kinds: [Kind] = []
        var counts: [Int] = []
        kinds.reserveCapacity(customers)
        counts.reserveCapacity(customers)
        for _ in 0..<customers {
            let roll = Double.random(in: 0..<1, using: &rng)
            let kind: Kind = roll < 0.009 ? .daily : roll < 0.01 ? .brokenDaily : roll < 0.11 ? .weekly : .occasional
            kinds.append(kind)
            counts.append(kind == .weekly ? 12 : kind == .occasional ? 0 : 76)
        }
        var assigned = counts.reduce(0, +)
        let occasional = kinds.indices.filter { kinds[$0] == .occasional }
        if assigned > contacts {
            // Few contacts for many customers: thin the regulars out.
            for index in counts.indices where assigned > contacts {
                let cut = min(counts[index], assigned - contacts)
                counts[index] -= cut
                assigned -= cut
            }
        } else if !occasional.isEmpty {
            let remaining = contacts - assigned
            let base = remaining / occasional.count
            for index in occasional { counts[index] = base }
            var extra = remaining - base * occasional.count
            while extra > 0 {
                counts[occasional[Int.random(in: 0..<occasional.count, using: &rng)]] += 1
                extra -= 1
            }
        }

        // Plain indexes are built once after the load: sorting ten million rows once is far cheaper than
        // keeping every index in order row by row (keys are random UUIDs). On failure they are built anyway.
        let deferred = try await DeferredIndexes.drop(on: tables, in: db)
        do {
            let result = try await write(
                programIDs: programIDs, reps: reps, kinds: kinds, counts: counts, rng: &rng, on: db)
            try await deferred.create(in: db) { progress("indexes", $0, $1) }
            // The triggers noted every contact with a customer and a reason for the insights' repeats: the hours
            // they touch are marked here, where nothing waits for the writer, not in the server's first round.
            try await InsightRollups.markRepeated(on: db)
            return result
        } catch {
            try? await deferred.create(in: db)
            throw error
        }
    }

    /// The tables the generator fills.
    private var tables: [String] { [Customer.schema, CustomerPhone.schema, CustomerEmail.schema, Contact.schema] }

    private func write(
        programIDs: [UUID], reps: [[UUID]], kinds: [Kind], counts: [Int], rng: inout SeededGenerator,
        on db: any Database
    ) async throws -> Result {
        var written = (customers: 0, contacts: 0)
        var samples: [(String, String, Bool)] = []
        var previousPhone: [Int: String] = [:]
        var customerRows: [[Value]] = []
        var phoneRows: [[Value]] = []
        var emailRows: [[Value]] = []
        var contactRows: [[Value]] = []
        let created = now
        func flush(force: Bool) async throws {
            guard force || contactRows.count >= 20_000 || customerRows.count >= 5_000 else { return }
            let batches = [
                (Customer.schema, Self.customerColumns, customerRows),
                (CustomerPhone.schema, Self.phoneColumns, phoneRows),
                (CustomerEmail.schema, Self.emailColumns, emailRows),
                (Contact.schema, Self.contactColumns, contactRows),
            ]
            try await db.transaction { tx in
                let sql = try tx.sqlDatabase
                let postgres = sql.isPostgreSQL
                if !postgres {
                    // Random UUID keys touch pages all over the indexes; a large page cache keeps them in memory.
                    try await sql.raw("PRAGMA cache_size = -524288").run()
                }
                for (table, columns, rows) in batches {
                    for start in stride(from: 0, to: rows.count, by: 1000) {
                        let values = rows[start..<min(start + 1000, rows.count)]
                            .map { "(" + $0.map { $0.literal(postgres: postgres) }.joined(separator: ",") + ")" }
                            .joined(separator: ",")
                        let statement = "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES \(values)"
                        try await sql.raw(SQLQueryString(stringLiteral: statement)).run()
                    }
                }
            }
            written.contacts += contactRows.count
            customerRows.removeAll(keepingCapacity: true)
            phoneRows.removeAll(keepingCapacity: true)
            emailRows.removeAll(keepingCapacity: true)
            contactRows.removeAll(keepingCapacity: true)
            progress("contacts", written.contacts, contacts)
        }

        for index in 0..<customers {
            let roll = Double.random(in: 0..<1, using: &rng)
            let p = roll < Self.programs[0].share ? 0 : roll < Self.programs[0].share + Self.programs[1].share ? 1 : 2
            let spec = Self.programs[p]
            let customerID = UUID()
            let first = rng.pick(Self.firstNames)
            let last = rng.pick(Self.lastNames)
            let fullName = "\(first) \(last)"
            let preferred: String? = rng.chance(0.3) ? first : nil
            customerRows.append([
                Value(customerID), Value(programIDs[p]), Value(String(1_000_000 + index)), Value(fullName),
                Value(preferred), Value(Customer.searchName(fullName: fullName, preferredName: preferred)),
                .null, Value(""), .null, Value(created), Value(created),
            ])
            // A household shares the previous customer's phone; everyone else has their own.
            let typed: String
            if let shared = previousPhone[p], rng.chance(0.02) {
                typed = shared
            } else {
                typed = Self.phone(index: index, country: spec.country, rng: &rng)
            }
            previousPhone[p] = typed
            let e164 = try PhoneNumber(parsing: typed, defaultCountry: spec.country).e164
            phoneRows.append([
                Value(UUID()), Value(customerID), Value(programIDs[p]), Value(e164), Value(0), Value("mobile"),
            ])
            if rng.chance(0.4) {
                emailRows.append([
                    Value(UUID()), Value(customerID), Value(programIDs[p]),
                    Value("\(first).\(last).\(index)@example.com".lowercased().replacingOccurrences(of: "'", with: "")),
                    Value(0),
                ])
            }
            if samples.count < 20_000, rng.chance(0.05) {
                samples.append((spec.code, Self.retype(e164, country: spec.country, rng: &rng), true))
            }

            for daysAgo in Self.contactDays(kind: kinds[index], count: counts[index], rng: &rng) {
                let arrived = now.addingTimeInterval(-daysAgo * 86_400)
                let abandoned = rng.chance(0.05)
                let answered = abandoned ? nil : arrived.addingTimeInterval(Double.random(in: 5...120, using: &rng))
                let (reason, summary) = rng.pick(Self.reasons)
                let r = Double.random(in: 0..<1, using: &rng)
                contactRows.append([
                    Value(UUID()), Value(programIDs[p]), Value(customerID),
                    Value(r < 0.8 ? "voice" : r < 0.9 ? "email" : r < 0.95 ? "chat" : "sms"),
                    Value(rng.chance(0.9) ? "inbound" : "outbound"), Value(e164), Value("+13125550100"),
                    Value(abandoned ? "abandoned" : "ended"), Value(arrived), Value(answered),
                    Value((answered ?? arrived).addingTimeInterval(Double.random(in: 30...900, using: &rng))),
                    Value(abandoned ? nil : rng.pick(reps[p])), Value(abandoned ? nil : reason),
                    Value(abandoned ? nil : summary),
                    Value(abandoned ? nil : (r < 0.85 ? "resolved" : r < 0.95 ? "follow-up" : "unresolved")),
                    .null, Value(created), Value(created),
                ])
            }
            written.customers += 1
            try await flush(force: false)
        }
        try await flush(force: true)
        // Unknown callers: numbers nobody in the data has.
        for index in 0..<max(1, samples.count / 10) {
            samples.append(("METRO", "(331) 555-\(String(format: "%04d", index % 10_000))", false))
        }
        return Result(customers: written.customers, contacts: written.contacts, samplePhones: samples)
    }

    /// A generated value, written as an SQL literal: binding tens of millions of parameters one by one costs
    /// more than the database's own work, and every value here is made by the generator itself.
    enum Value {
        case null
        case text(String)
        case int(Int)
        case uuid(UUID)
        case date(Date)

        init(_ text: String) { self = .text(text) }
        init(_ text: String?) { self = text.map { .text($0) } ?? .null }
        init(_ int: Int) { self = .int(int) }
        init(_ uuid: UUID) { self = .uuid(uuid) }
        init(_ uuid: UUID?) { self = uuid.map { .uuid($0) } ?? .null }
        init(_ date: Date) { self = .date(date) }
        init(_ date: Date?) { self = date.map { .date($0) } ?? .null }

        /// The literal as Fluent stores the value: SQLite keeps UUIDs as upper-case text and times as seconds
        /// since 1970; PostgreSQL has uuid and timestamptz.
        func literal(postgres: Bool) -> String {
            switch self {
            case .null: "NULL"
            case .text(let text): "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
            case .int(let int): String(int)
            case .uuid(let uuid): "'\(uuid.uppercaseText)'"
            case .date(let date):
                postgres ? "to_timestamp(\(date.timeIntervalSince1970))" : String(date.timeIntervalSince1970)
            }
        }
    }

    /// Days ago of each contact for a customer of this kind.
    static func contactDays(kind: Kind, count: Int, rng: inout SeededGenerator) -> [Double] {
        guard count > 0 else { return [] }
        switch kind {
        case .daily, .brokenDaily:
            let start = kind == .brokenDaily ? Double.random(in: 10...20, using: &rng) : 0.3
            return (0..<count).map {
                start + Double($0) * (89.0 - start) / Double(max(count, 1)) + Double.random(in: 0...0.3, using: &rng)
            }
        case .weekly:
            let offset = Double.random(in: 0.2...6, using: &rng)
            return (0..<count).map { offset + Double($0) * 7 + Double.random(in: -0.4...0.4, using: &rng) }
        case .occasional:
            return (0..<count).map { _ in Double.random(in: 0.1...730, using: &rng) }
        }
    }

    /// A unique number for customer `index`, written the way people and systems write numbers.
    static func phone(index: Int, country: String, rng: inout SeededGenerator) -> String {
        if country == "GB" {
            let line = String(format: "%07d", index % 10_000_000)
            return rng.pick(["020 7\(line.prefix(3)) \(line.suffix(4))", "+44 20 7\(line)", "0044 207\(line)"])
        }
        let area = [312, 773, 872, 847, 630, 708, 212, 646, 718, 917][index % 10]
        let rest = 2_000_000 + index / 10
        let exchange = rest / 10_000
        let line = String(format: "%04d", rest % 10_000)
        return rng.pick([
            "(\(area)) \(exchange)-\(line)", "\(area).\(exchange).\(line)", "+1 \(area) \(exchange) \(line)",
            "1-\(area)-\(exchange)-\(line)", "\(area)\(exchange)\(line)",
        ])
    }

    /// The stored number typed again in some other everyday format.
    static func retype(_ e164: String, country: String, rng: inout SeededGenerator) -> String {
        let digits = String(e164.dropFirst())
        if digits.hasPrefix("1") {
            let n = digits.dropFirst()
            return rng.pick([
                "(\(n.prefix(3))) \(n.dropFirst(3).prefix(3))-\(n.suffix(4))",
                "1-\(n.prefix(3))-\(n.dropFirst(3).prefix(3))-\(n.suffix(4))", "+\(digits)",
            ])
        }
        return rng.pick(["0\(digits.dropFirst(2))", "+\(digits)", "00\(digits)"])
    }

    static let customerColumns = [
        "id", "program_id", "customer_number", "full_name", "preferred_name", "search_name",
        "time_zone", "notes", "preferred_rep_id", "created_at", "updated_at",
    ]
    static let phoneColumns = ["id", "customer_id", "program_id", "e164", "position", "label"]
    static let emailColumns = ["id", "customer_id", "program_id", "address", "position"]
    static let contactColumns = [
        "id", "program_id", "customer_id", "channel", "direction", "from_address", "to_address",
        "status", "arrived_at", "answered_at", "ended_at", "rep_id", "reason", "summary",
        "resolution", "external_id", "created_at", "updated_at",
    ]

    static let firstNames = [
        "James", "Mary", "Robert", "Patricia", "John", "Linda", "William", "Barbara", "David", "Elizabeth", "Richard",
        "Jennifer", "Joseph", "Susan", "Thomas", "Dorothy", "Charles", "Margaret", "Daniel", "Betty", "Walter",
        "Gloria",
        "Harold", "Ruth", "Eugene", "Doris", "Arthur", "Evelyn", "Ernest", "Mildred", "Aisha", "Carlos", "Mei", "Omar",
    ]
    static let lastNames = [
        "Anderson", "Washington", "Nguyen", "Kowalski", "Okafor", "Hernandez", "Schmidt", "Johansson", "Patel", "Rossi",
        "Kim", "Jackson", "Murphy", "Novak", "Ramirez", "Cohen", "Dubois", "Hughes", "Brooks", "Miller", "Garcia",
        "Lee",
    ]
    static let reasons: [(String, String)] = [
        ("Book a ride", "Booked a round trip."), ("Where is my ride?", "Vehicle ten minutes away."),
        ("Cancel a ride", "Cancelled Thursday's trip."), ("Bill query", "Explained the estimated reading."),
        ("Power cut", "Gave the restoration estimate."),
        ("Late pick-up complaint", "Apologised; logged with dispatch."),
    ]
}

enum GeneratorError: DomainError {
    case alreadyGenerated
    case notGenerated

    var kind: DomainErrorKind { self == .alreadyGenerated ? .conflict : .notFound }
    var description: String {
        let codes = DataGenerator.programs.map(\.code).joined(separator: ", ")
        return switch self {
        case .alreadyGenerated: "This database already holds generated programs (\(codes)); use a fresh database."
        case .notGenerated: "This database holds no generated programs (\(codes)); run `daymaker generate` first."
        }
    }
}
