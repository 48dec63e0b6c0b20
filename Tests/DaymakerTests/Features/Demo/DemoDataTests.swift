import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct DemoDataTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func loadsARealisticDataSetOnceAndOnlyOnce() async throws {
        try await withApp { app in
            guard case .loaded(let customers, let contacts) = try await DemoData.load(app: app, now: now) else {
                Issue.record("first load should load")
                return
            }
            #expect((190...210).contains(customers))
            #expect(contacts > 800)
            #expect(try await DemoData.load(app: app, now: now) == .alreadyPresent)
            #expect(try await Customer.query(on: app.db).count() == customers)
            #expect(try await Contact.query(on: app.db).count() == contacts)
            #expect(try await User.query(on: app.db).count() == DemoData.logins.count)
            #expect(try await Program.query(on: app.db).all().map(\.code).sorted() == ["HELP", "RIDE"])
        }
    }

    @Test func isDeterministic() async throws {
        var first = SeededGenerator(seed: 7)
        var second = SeededGenerator(seed: 7)
        let a = DemoData.people(rng: &first)
        let b = DemoData.people(rng: &second)
        #expect(a.map(\.fullName) == b.map(\.fullName))
        #expect(a.map(\.contactDaysAgo) == b.map(\.contactDaysAgo))
    }

    @Test func includesARegularWhoseRhythmBrokeAndAHousehold() async throws {
        try await withApp { app in
            _ = try await DemoData.load(app: app, now: now)
            let john = try #require(try await Customer.query(on: app.db).filter(\.$customerNumber == "100001").first())
            #expect(john.preferredName == "John")
            let history = try await Contact.query(on: app.db).filter(\.$customer.$id == john.id!)
                .sort(\.$arrivedAt, .descending).all()
            #expect(history.count > 50)
            let daysSinceLast = now.timeIntervalSince(history[0].arrivedAt) / 86_400
            #expect((11...13).contains(daysSinceLast))

            let household = try await CustomerPhone.query(on: app.db)
                .filter(\.$e164 == (try PhoneNumber(parsing: DemoData.householdNumber, defaultCountry: "US")).e164)
                .all()
            #expect(household.count == 2)
            // Several daily regulars, several weekly ones.
            let counts = try await Contact.query(on: app.db).all().reduce(into: [UUID: Int]()) { counts, contact in
                if let id = contact.$customer.id { counts[id, default: 0] += 1 }
            }
            #expect(counts.values.filter { $0 > 50 }.count >= 5)
            #expect(counts.values.filter { (8...14).contains($0) }.count >= 20)
        }
    }

    @Test func demoLoginsWork() async throws {
        try await withApp { app in
            _ = try await DemoData.load(app: app, now: now)
            for login in DemoData.logins {
                var browser = try await BrowserSession.start(app)
                let response = try await browser.post(
                    app, "/sign-in", form: ["email": login.email, "password": DemoData.password])
                #expect(response.status == .seeOther, "\(login.email)")
            }
        }
    }
}
