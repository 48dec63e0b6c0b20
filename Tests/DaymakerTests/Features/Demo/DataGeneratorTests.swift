import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct DataGeneratorTests {
    @Test func generatesExactlyTheRequestedVolumesWithRealisticShape() async throws {
        try await withApp { app in
            let tables = [Customer.schema, CustomerPhone.schema, CustomerEmail.schema, Contact.schema]
            let indexes = try await DeferredIndexes.definitions(on: tables, in: app.db).map(\.name)
            #expect(indexes.contains("idx_contacts_customer_id_arrived_at_rep_id"))
            var reported = 0
            var stages: [String] = []
            var generator = DataGenerator(customers: 600, contacts: 9000, seed: 3, now: app.clock.now)
            generator.progress = { stage, done, _ in
                if stage == "contacts" { reported = done }
                if stages.last != stage { stages.append(stage) }
            }
            let result = try await generator.run(app: app)
            // The plain indexes, dropped for the load, are all back (built once after it).
            #expect(try await DeferredIndexes.definitions(on: tables, in: app.db).map(\.name) == indexes)
            #expect(stages == ["contacts", "indexes"])
            #expect(result.customers == 600)
            #expect(result.contacts == 9000)
            #expect(reported == 9000)
            #expect(try await Customer.query(on: app.db).count() == 600)
            #expect(try await Contact.query(on: app.db).count() == 9000)
            #expect(try await Program.query(on: app.db).count() == 3)
            // The insights' notes of repeats are settled: every hour with a contact is marked, nothing is noted.
            let sql = try app.db.sqlDatabase
            let noted = try await sql.raw("SELECT COUNT(*) AS n FROM insight_repeats").first()?
                .decode(column: "n", as: Int.self)
            #expect(noted == 0)
            let marked = try await sql.raw("SELECT COUNT(*) AS n FROM insight_marks").first()?
                .decode(column: "n", as: Int.self)
            let hours = try await Contact.query(on: app.db).all()
                .map { "\($0.$program.id) \(Int(($0.arrivedAt.timeIntervalSince1970 / 3_600).rounded(.down)))" }
            #expect(marked == Set(hours).count)
            // What the generator wrote reads back through Fluent as it would had Fluent written it.
            let contact = try #require(try await Contact.query(on: app.db).sort(\.$arrivedAt, .descending).first())
            #expect(
                contact.arrivedAt <= app.clock.now
                    && contact.arrivedAt > app.clock.now.addingTimeInterval(-731 * 86_400))
            #expect(try await contact.$customer.get(on: app.db)?.customerNumber.hasPrefix("1") == true)
            // Households share numbers; every stored number is E.164.
            let phones = try await CustomerPhone.query(on: app.db).all()
            #expect(Set(phones.map(\.e164)).count < phones.count)
            #expect(phones.allSatisfy { (try? PhoneNumber(e164: $0.e164)) != nil })
            // Sample lookups typed in other formats find their customer through the recognition lookup.
            let known = result.samplePhones.filter(\.known).prefix(5)
            #expect(!known.isEmpty)
            for sample in known {
                let program = try #require(try await Program.find(code: sample.program, on: app.db))
                let (identifier, _) = try RecognitionLookup.identifier(
                    phone: sample.phone, customerNumber: nil, email: nil, handle: nil, country: program.country)
                let found = try await RecognitionCard.people(
                    try #require(identifier), programID: program.id!, settings: .defaults, now: app.clock.now,
                    reads: app.cardSources.reads, on: app.db)
                #expect(!found.isEmpty, "\(sample.phone)")
            }
            // Running it again on the same database is refused rather than doubling the data.
            await #expect(throws: GeneratorError.alreadyGenerated) { try await generator.run(app: app) }
        }
    }

    @Test func theSameSeedGivesTheSameCustomers() {
        var a = SeededGenerator(seed: 9)
        var b = SeededGenerator(seed: 9)
        let first = (0..<20).map { DataGenerator.phone(index: $0, country: "US", rng: &a) }
        let second = (0..<20).map { DataGenerator.phone(index: $0, country: "US", rng: &b) }
        #expect(first == second)
        #expect(DataGenerator.contactDays(kind: .weekly, count: 12, rng: &a).count == 12)
    }
}
