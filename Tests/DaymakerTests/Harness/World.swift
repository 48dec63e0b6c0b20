import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

/// A small, known data set for API and access tests: two programs, one account per role, one customer and one
/// contact in each program.
struct World {
    struct Account {
        let user: User
        let token: String
        var id: UUID { user.id! }
    }

    let ride: Program
    let help: Program
    let admin: Account
    let supervisor: Account
    let rep: Account
    let helpRep: Account
    let rideCustomer: Customer
    let helpCustomer: Customer
    let rideContact: Contact
    let helpContact: Contact
    let rideBooking: Booking
    let helpBooking: Booking
    let rideCareNote: CareNote
    let helpCareNote: CareNote

    static let password = "correct horse battery"
    /// The instant every test starts at (`withApp` sets the app's clock to it): a Wednesday, 09:30 in Chicago and
    /// 15:30 in London. Tests move the clock forward; nothing ages with the calendar.
    static let now = Date(timeIntervalSince1970: 1_795_015_800)  // 2026-11-18T15:30:00Z
    /// Each customer's one call was this many calendar days ago in their program's time zone.
    static let lastCallDaysAgo = 63

    static func make(on app: Application) async throws -> World {
        let db = app.db
        let now = app.clock.now
        let ride = try await Program.create(
            code: "RIDE", name: "Ride Line", timeZone: "America/Chicago", country: "US", actor: nil, now: now, on: db)
        let help = try await Program.create(
            code: "HELP", name: "Help Desk", timeZone: "Europe/London", country: "GB", actor: nil, now: now, on: db)

        func account(_ email: String, _ role: Role, _ programs: [String], scopes: [String]) async throws -> Account {
            let user = try await UserAccounts.create(
                email: email, fullName: email.split(separator: "@")[0].capitalized, displayName: nil, role: role,
                password: password, programCodes: programs, actor: nil, app: app, db: db)
            let (_, token) = try await APITokens.create(
                for: user, name: "test", scopeNames: scopes, actor: nil, now: now, on: db)
            return Account(user: user, token: token)
        }
        let admin = try await account("admin@test.example", .admin, [], scopes: ["read", "write", "admin"])
        let supervisor = try await account("supervisor@test.example", .supervisor, ["RIDE"], scopes: ["read", "write"])
        let rep = try await account("rep@test.example", .rep, ["RIDE"], scopes: ["read", "write"])
        let helpRep = try await account("helprep@test.example", .rep, ["HELP"], scopes: ["read", "write"])

        let rideCustomer = try await Customer.create(
            try CustomerDraft.validate(
                customerNumber: "100001", fullName: "John Miller", preferredName: "John",
                phones: [.init(number: "(312) 555-0142", label: "home")], emails: ["John.Miller@Example.com"],
                handles: [.init(network: "x", handle: "@johnm")], timeZone: nil, notes: "", preferredRepID: nil,
                country: "US"),
            programID: ride.id!, on: db)
        let helpCustomer = try await Customer.create(
            try CustomerDraft.validate(
                customerNumber: "NW-1", fullName: "Alice Hughes", preferredName: nil,
                phones: [.init(number: "020 7946 0958", label: nil)], emails: [], handles: [], timeZone: nil,
                notes: "", preferredRepID: nil, country: "GB"),
            programID: help.id!, on: db)

        func contact(_ program: Program, _ customer: Customer, from: String) async throws -> Contact {
            let contact = Contact()
            contact.$program.id = program.id!
            contact.$customer.id = customer.id
            contact.channel = .voice
            contact.direction = .inbound
            contact.fromAddress = from
            contact.toAddress = "+13125550100"
            contact.status = .ended
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = program.zone  // whole local days, whatever daylight saving did in between
            contact.arrivedAt = try #require(calendar.date(byAdding: .day, value: -Self.lastCallDaysAgo, to: now))
            try await contact.create(on: db)
            return contact
        }
        func booking(_ customer: Customer) async throws -> Booking {
            let booking = Booking()
            booking.programID = customer.$program.id
            booking.$customer.id = customer.id!
            booking.apply(
                try Booking.Draft.validate(
                    kind: "ride", startsAt: now.addingTimeInterval(86_400), pickUp: "Home", dropOff: "Clinic",
                    notes: "", status: nil))
            try await booking.create(on: db)
            return booking
        }
        func careNote(_ customer: Customer, by author: Account) async throws -> CareNote {
            let principal = try #require(await Principal.load(userID: author.id, scopes: nil, on: db))
            return try await CareNote.add(
                to: customer, kind: .bereavement, text: "His wife passed away in September.",
                guidance: "Be gentle; he may want to talk.", reviewOn: nil, author: principal, now: now, on: db)
        }
        return World(
            ride: ride, help: help, admin: admin, supervisor: supervisor, rep: rep, helpRep: helpRep,
            rideCustomer: rideCustomer, helpCustomer: helpCustomer,
            rideContact: try await contact(ride, rideCustomer, from: "+13125550142"),
            helpContact: try await contact(help, helpCustomer, from: "+442079460958"),
            rideBooking: try await booking(rideCustomer), helpBooking: try await booking(helpCustomer),
            rideCareNote: try await careNote(rideCustomer, by: rep),
            helpCareNote: try await careNote(helpCustomer, by: helpRep))
    }
}
