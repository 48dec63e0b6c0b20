import Fluent
import Vapor

/// The demo data set: a paratransit ride line (America/Chicago) and a UK utility help desk, ~200 customers and
/// 90 days of contacts. Deterministic: the same seed gives the same people and the same history relative to `now`.
enum DemoData {
    static let password = "daymaker-demo"

    struct Login: Equatable {
        let email: String
        let role: Role
        let programs: [String]
    }

    static let logins: [Login] = [
        .init(email: "admin@daymaker.test", role: .admin, programs: ["RIDE", "HELP"]),
        .init(email: "maria@daymaker.test", role: .supervisor, programs: ["RIDE"]),
        .init(email: "sarah@daymaker.test", role: .rep, programs: ["RIDE"]),
        .init(email: "tom@daymaker.test", role: .rep, programs: ["RIDE", "HELP"]),
    ]

    /// The regular whose rhythm broke: called nearly every day, then not for 12 days.
    static let johnNumber = "(312) 555-0142"
    /// A phone shared by a household of two customers.
    static let householdNumber = "312-555-0199"

    enum Outcome: Equatable {
        case loaded(customers: Int, contacts: Int)
        case alreadyPresent
    }

    /// Loads the demo data unless it is already there.
    static func load(app: Application, now: Date, seed: UInt64 = 2026) async throws -> Outcome {
        let db = app.db
        if try await Program.find(code: "RIDE", on: db) != nil { return .alreadyPresent }
        var rng = SeededGenerator(seed: seed)

        let ride = Program(code: "RIDE", name: "Metro Access Ride Line", timeZone: "America/Chicago", country: "US")
        let help = Program(code: "HELP", name: "Northwind Energy Help Desk", timeZone: "Europe/London", country: "GB")
        try await ride.create(on: db)
        try await help.create(on: db)
        let programs = ["RIDE": ride, "HELP": help]

        let hash = try await app.hashPassword(password)
        let names = [
            "admin@daymaker.test": ("Alex Morgan", "Alex"), "maria@daymaker.test": ("Maria Lopez", "Maria"),
            "sarah@daymaker.test": ("Sarah Johnson", "Sarah"), "tom@daymaker.test": ("Tom Becker", "Tom"),
        ]
        var users: [String: User] = [:]
        for login in logins {
            let (full, display) = names[login.email]!
            let user = User(
                email: login.email, fullName: full, displayName: display, role: login.role, passwordHash: hash)
            try await user.create(on: db)
            try await user.$programs.attach(login.programs.compactMap { programs[$0] }, on: db)
            users[login.email] = user
        }
        let rideReps = [users["sarah@daymaker.test"]!, users["tom@daymaker.test"]!, users["maria@daymaker.test"]!]
        let helpReps = [users["tom@daymaker.test"]!]

        var customerCount = 0
        var contacts: [Contact] = []
        for person in people(rng: &rng) {
            let program = programs[person.program]!
            let draft = try CustomerDraft.validate(
                customerNumber: person.number, fullName: person.fullName, preferredName: person.preferredName,
                phones: person.phones.map { .init(number: $0, label: "mobile") }, emails: person.emails,
                handles: person.handles.map { .init(network: "x", handle: $0) }, timeZone: nil, notes: person.notes,
                preferredRepID: nil, country: program.country)
            let customer = try await Customer.create(draft, programID: try program.requireID(), on: db)
            customerCount += 1
            let reps = person.program == "RIDE" ? rideReps : helpReps
            let phone = draft.phones.first?.number.e164
            for daysAgo in person.contactDaysAgo {
                contacts.append(
                    contact(
                        for: customer, program: program, phone: phone, email: draft.emails.first, daysAgo: daysAgo,
                        reps: reps, now: now, rng: &rng))
            }
        }
        for chunk in stride(from: 0, to: contacts.count, by: 200) {
            try await Array(contacts[chunk..<min(chunk + 200, contacts.count)]).create(on: db)
        }
        try await addStories(
            ride: ride, sarah: users["sarah@daymaker.test"]!, maria: users["maria@daymaker.test"]!, now: now, on: db)
        return .loaded(customers: customerCount, contacts: contacts.count)
    }

    /// John asks for Sarah and has tomorrow's ride to confirm; Walter lost his wife and may want to talk.
    private static func addStories(ride: Program, sarah: User, maria: User, now: Date, on db: any Database) async throws
    {
        let rideID = try ride.requireID()
        guard let john = try await Customer.query(on: db).filter(\.$customerNumber == "100001").first(),
            let walter = try await Customer.query(on: db).filter(\.$customerNumber == "100004").first()
        else { return }
        john.$preferredRep.id = sarah.id
        try await john.save(on: db)

        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = ride.zone
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now)) ?? now
        let booking = Booking()
        booking.programID = rideID
        booking.$customer.id = try john.requireID()
        booking.apply(
            try Booking.Draft.validate(
                kind: "ride", startsAt: tomorrow.addingTimeInterval(9.5 * 3600), pickUp: "1418 W Addison St",
                dropOff: "Lakeview Dialysis Center", notes: "Walker; needs a ramp", status: .scheduled))
        try await booking.create(on: db)

        walter.fullName = "Walter Kowalski"
        walter.preferredName = "Walt"
        walter.searchName = Customer.searchName(fullName: walter.fullName, preferredName: walter.preferredName)
        try await walter.save(on: db)
        let note = CareNote()
        note.programID = rideID
        note.$customer.id = try walter.requireID()
        note.kind = .bereavement
        note.text = "His wife Helen passed away in September; she used to book his rides."
        note.guidance = "Be gentle and unhurried; he may want to talk about her."
        note.authorID = try maria.requireID()
        try await note.create(on: db)
    }

    struct Person {
        var program: String
        var number: String
        var fullName: String
        var preferredName: String?
        var phones: [String]
        var emails: [String] = []
        var handles: [String] = []
        var notes = ""
        var contactDaysAgo: [Double]
    }

    private static let firstNames = [
        "James", "Mary", "Robert", "Patricia", "Michael", "Linda", "William", "Barbara", "David", "Elizabeth",
        "Richard", "Jennifer", "Joseph", "Susan", "Thomas", "Dorothy", "Charles", "Margaret", "Daniel", "Betty",
        "Walter", "Gloria", "Harold", "Ruth", "Eugene", "Doris", "Arthur", "Evelyn", "Ernest", "Mildred",
    ]
    private static let lastNames = [
        "Anderson", "Washington", "Nguyen", "Kowalski", "Okafor", "Hernandez", "Schmidt", "Johansson", "Patel",
        "O'Brien", "Rossi", "Kim", "Jackson", "Murphy", "Novak", "Ramirez", "Cohen", "Dubois", "Hughes", "Brooks",
    ]

    /// Everyone in the demo, with the days (ago) on which they got in touch.
    static func people(rng: inout SeededGenerator) -> [Person] {
        var people: [Person] = []
        // John: a daily regular for months whose calls stopped 12 days ago.
        people.append(
            Person(
                program: "RIDE", number: "100001", fullName: "John Miller", preferredName: "John",
                phones: [johnNumber], notes: "Rides to dialysis Mon/Wed/Fri. Likes to chat about baseball.",
                contactDaysAgo: stride(from: 90.0, through: 12.0, by: -1).filter { _ in rng.chance(0.85) } + [12.2]))
        // A household sharing one phone.
        people.append(
            Person(
                program: "RIDE", number: "100002", fullName: "Eleanor Brooks", preferredName: "Ellie",
                phones: [householdNumber], contactDaysAgo: weekly(rng: &rng)))
        people.append(
            Person(
                program: "RIDE", number: "100003", fullName: "Harold Brooks", preferredName: "Hal",
                phones: [householdNumber, "(312) 555-0178"], contactDaysAgo: weekly(rng: &rng)))

        let formats: [(Int) -> String] = [
            { "(312) 555-\(String(format: "%04d", $0))" }, { "312.555.\(String(format: "%04d", $0))" },
            { "+1 773 555 \(String(format: "%04d", $0))" }, { "1-847-555-\(String(format: "%04d", $0))" },
        ]
        for index in 4...160 {
            let first = rng.pick(firstNames)
            let last = rng.pick(lastNames)
            let kind = index <= 8 ? 0 : index <= 40 ? 1 : 2
            let days: [Double] =
                switch kind {
                case 0: stride(from: 90.0, through: 0.5, by: -1).filter { _ in rng.chance(0.8) }
                case 1: weekly(rng: &rng)
                default: (0..<Int.random(in: 0...4, using: &rng)).map { _ in Double.random(in: 0.2...90, using: &rng) }
                }
            var person = Person(
                program: "RIDE", number: String(100000 + index), fullName: "\(first) \(last)",
                preferredName: rng.chance(0.3) ? first : nil,
                phones: [rng.pick(formats)(1000 + index)], contactDaysAgo: days)
            if rng.chance(0.35) {
                person.emails = [
                    "\(first).\(last)\(index)@example.com".lowercased().replacingOccurrences(of: "'", with: "")
                ]
            }
            if rng.chance(0.08) { person.handles = ["@\(first.lowercased())\(index)"] }
            people.append(person)
        }
        let ukFormats: [(Int) -> String] = [
            { "020 7946 \(String(format: "%04d", $0))" }, { "+44 20 7946 \(String(format: "%04d", $0))" },
            { "0044 161 496 \(String(format: "%04d", $0))" }, { "(0113) 496 \(String(format: "%04d", $0))" },
        ]
        for index in 1...40 {
            let first = rng.pick(firstNames)
            let last = rng.pick(lastNames)
            let days: [Double] =
                index <= 8
                ? weekly(rng: &rng)
                : (0..<Int.random(in: 1...3, using: &rng)).map { _ in Double.random(in: 0.2...90, using: &rng) }
            people.append(
                Person(
                    program: "HELP", number: "NW-\(5000 + index)", fullName: "\(first) \(last)",
                    preferredName: nil, phones: [rng.pick(ukFormats)(2000 + index)],
                    emails: [
                        "\(first.lowercased()).\(last.lowercased().replacingOccurrences(of: "'", with: ""))@example.co.uk"
                    ],
                    contactDaysAgo: days))
        }
        return people
    }

    private static func weekly(rng: inout SeededGenerator) -> [Double] {
        let offset = Double.random(in: 0.5...6.5, using: &rng)
        return stride(from: offset, through: 90, by: 7).filter { _ in rng.chance(0.85) }
    }

    private static let rideReasons: [(String, String)] = [
        ("Book a ride", "Booked a round trip to the clinic."),
        ("Confirm tomorrow's ride", "Confirmed pick-up time and address for tomorrow."),
        ("Where is my ride?", "Checked the vehicle's location; driver 10 minutes away."),
        ("Cancel a ride", "Cancelled Thursday's trip; customer feeling unwell."),
        ("Change pick-up address", "Updated pick-up to daughter's house for the weekend."),
        ("Late pick-up complaint", "Apologised for a 40-minute late pick-up; logged with dispatch."),
        ("Eligibility renewal", "Explained the renewal form and mailed a copy."),
        ("Compliment for a driver", "Passed thanks on to driver Luis."),
    ]
    private static let helpReasons: [(String, String)] = [
        ("Bill query", "Explained the estimated reading; customer will send a meter photo."),
        ("Power cut", "Gave the restoration estimate for the area."),
        ("Move home", "Set up the final reading and the new address."),
        ("Payment plan", "Agreed a monthly plan."),
    ]

    /// The same calendar day in the program's zone, between 7:00 and 19:00, never in the future.
    private static func businessHours(_ date: Date, zone: String, now: Date, rng: inout SeededGenerator) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? .gmt
        var parts = calendar.dateComponents([.year, .month, .day], from: date)
        parts.hour = Int.random(in: 7...18, using: &rng)
        parts.minute = Int.random(in: 0...59, using: &rng)
        var result = calendar.date(from: parts) ?? date
        while result > now.addingTimeInterval(-600) { result.addTimeInterval(-86_400) }
        return result
    }

    private static func contact(
        for customer: Customer, program: Program, phone: String?, email: String?, daysAgo: Double, reps: [User],
        now: Date, rng: inout SeededGenerator
    ) -> Contact {
        let contact = Contact()
        contact.$program.id = program.id!
        contact.$customer.id = customer.id
        let roll = Double.random(in: 0..<1, using: &rng)
        contact.channel =
            roll < 0.72 || (phone != nil && email == nil && roll < 0.9)
            ? .voice
            : roll < 0.84 && email != nil ? .email : roll < 0.92 ? .chat : .sms
        contact.direction = rng.chance(0.1) ? .outbound : .inbound
        let centre = program.code == "RIDE" ? "+13125550100" : "+442079460000"
        let customerAddress: String =
            switch contact.channel {
            case .email: email ?? "unknown@example.com"
            case .chat, .social: "web-chat"
            case .voice, .sms: phone ?? "withheld"
            }
        contact.fromAddress = contact.direction == .inbound ? customerAddress : centre
        contact.toAddress = contact.direction == .inbound ? centre : customerAddress
        let arrived = businessHours(
            now.addingTimeInterval(-daysAgo * 86_400), zone: program.timeZone, now: now, rng: &rng)
        contact.arrivedAt = arrived
        let abandoned = contact.channel == .voice && contact.direction == .inbound && rng.chance(0.06)
        if abandoned {
            contact.status = .abandoned
            contact.endedAt = arrived.addingTimeInterval(Double.random(in: 20...240, using: &rng))
        } else {
            contact.status = .ended
            let answered = arrived.addingTimeInterval(Double.random(in: 5...180, using: &rng))
            contact.answeredAt = answered
            contact.endedAt = answered.addingTimeInterval(Double.random(in: 60...900, using: &rng))
            contact.$rep.id = rng.pick(reps).id
            let (reason, summary) = rng.pick(program.code == "RIDE" ? rideReasons : helpReasons)
            contact.reason = reason
            contact.summary = summary
            let r = Double.random(in: 0..<1, using: &rng)
            contact.resolution = r < 0.8 ? .resolved : r < 0.93 ? .followUp : .unresolved
        }
        return contact
    }
}
