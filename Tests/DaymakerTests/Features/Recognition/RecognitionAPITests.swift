import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct RecognitionAPITests {
    /// Records inbound contacts for a customer `daysAgo` days back, handled by `rep`.
    static func history(_ app: Application, customer: Customer, daysAgo: [Double], rep: UUID?) async throws {
        for days in daysAgo {
            let contact = Contact()
            contact.$program.id = customer.$program.id
            contact.$customer.id = customer.id
            contact.channel = .voice
            contact.direction = .inbound
            contact.fromAddress = "+13125550142"
            contact.toAddress = "+13125550100"
            contact.status = .ended
            contact.arrivedAt = app.clock.now.addingTimeInterval(-days * 86_400)
            contact.$rep.id = rep
            contact.reason = "Book a ride"
            contact.resolution = .resolved
            try await contact.create(on: app.db)
        }
    }

    @Test func aRegularWhoseRhythmBrokeIsMissedAndGreetedWarmly() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            try await Self.history(
                app, customer: world.rideCustomer, daysAgo: Array(stride(from: 12.0, through: 60, by: 1)),
                rep: world.rep.id)
            let response = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&phone=312.555.0142", token: world.supervisor.token)
            #expect(response.status == .ok)
            let result = try response.json(RecognitionResponse.self)
            #expect(result.identifier == .init(kind: "phone", value: "+13125550142", withheld: false))
            let card = try #require(result.matches.first)
            #expect(result.matches.count == 1)
            #expect(card.customer.preferredName == "John")
            #expect(card.regular)
            #expect(card.usualGapDays == 1)
            #expect(card.daysSinceLastContact == 12)
            #expect(card.missedYou)
            #expect(card.greeting == "Hi John! We haven't heard from you in 12 days — it's good to hear from you.")
            #expect(card.lastContacts.count == 5)
            #expect(card.lastContacts.map(\.at) == card.lastContacts.map(\.at).sorted(by: >))
            #expect(card.lastContacts.first?.rep == "Rep")
            #expect(card.bond.mostHelpedBy?.id == world.rep.id)
            #expect(card.bond.contactsWithMostHelped == 49)  // the whole window was read, not just the last five
            #expect(card.bond.lastHelpedBy?.id == world.rep.id)
            #expect(result.newCallerGreeting == nil)
        }
    }

    @Test func anOccasionalCallerStillShowsTheirLastFiveContacts() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            // The world gives John one call 63 days ago (`World.lastCallDaysAgo`); add eight long before the 90-day window.
            try await Self.history(
                app, customer: world.rideCustomer, daysAgo: [200, 250, 300, 350, 400, 450, 500, 550], rep: world.rep.id)
            let response = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&phone=312.555.0142", token: world.supervisor.token)
            let card = try #require(try response.json(RecognitionResponse.self).matches.first)
            #expect(!card.regular)
            #expect(card.daysSinceLastContact == World.lastCallDaysAgo)
            // One contact in the window, yet the card shows the latest five: 63, 200, 250, 300 and 350 days ago.
            #expect(card.lastContacts.count == 5)
            #expect(card.lastContacts.last.map { (app.clock.now.timeIntervalSince($0.at) / 86_400).rounded() } == 350)
            #expect(card.bond.contactsWithMostHelped == 4)
        }
    }

    @Test func aHouseholdSharingAPhoneGetsEveryCandidateMostRecentFirst() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let wife = try await Customer.create(
                try CustomerDraft.validate(
                    customerNumber: "100002", fullName: "Mary Miller", preferredName: nil,
                    phones: [.init(number: "+1 312 555 0142", label: "home")], emails: [], handles: [], timeZone: nil,
                    notes: "", preferredRepID: nil, country: "US"),
                programID: world.ride.id!, on: app.db)
            try await Self.history(app, customer: wife, daysAgo: [0.1], rep: world.rep.id)
            let result = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&phone=(312)%20555-0142", token: world.rep.token
            )
            .json(RecognitionResponse.self)
            #expect(result.matches.map(\.customer.name) == ["Mary Miller", "John Miller"])
            #expect(result.matches[0].greeting.hasPrefix("Hi Mary!"))
        }
    }

    @Test func nobodyKnownGetsANewCallerCardKeepingTheIdentifier() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let result = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&phone=773-555-0199", token: world.rep.token
            )
            .json(RecognitionResponse.self)
            #expect(result.matches.isEmpty)
            #expect(result.identifier.value == "+17735550199")
            #expect(result.newCallerGreeting == "Thank you for calling Ride Line, this is Rep. May I have your name?")
            let withheld = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&phone=anonymous", token: world.rep.token
            )
            .json(RecognitionResponse.self)
            #expect(withheld.identifier.withheld)
            #expect(withheld.matches.isEmpty)
        }
    }

    @Test func everyKindOfIdentifierFindsThePerson() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            for query in [
                "customerNumber=100001", "email=JOHN.MILLER@example.com", "handle=@JohnM", "phone=%2B13125550142",
            ] {
                let result = try await app.send(
                    .GET, "/api/v1/recognition?program=ride&\(query)", token: world.rep.token
                )
                .json(RecognitionResponse.self)
                #expect(result.matches.map(\.customer.id) == [world.rideCustomer.id!], "\(query)")
            }
        }
    }

    @Test func plusTaggedEmailMatchesOnlyWhenTheProgramAllowsIt() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let path = "/api/v1/recognition?program=RIDE&email=john.miller%2Brides@example.com"
            #expect(
                try await app.send(.GET, path, token: world.rep.token).json(RecognitionResponse.self).matches.isEmpty)
            let update = try await app.send(
                .PUT, "/api/v1/programs/\(world.ride.id!)/recognition-settings",
                token: world.supervisor.token, json: #"{"matchEmailPlusTags":true}"#)
            #expect(update.status == .ok)
            let matches = try await app.send(.GET, path, token: world.rep.token).json(RecognitionResponse.self).matches
            #expect(matches.map(\.customer.id) == [world.rideCustomer.id!])
            #expect(RecognitionLookup.baseAddress("a+b+c@x.org") == "a@x.org")
            #expect(RecognitionLookup.baseAddress("+a@x.org") == nil)
        }
    }

    @Test func badLookupsAreProblemsAndOtherProgramsAreNotFound() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let none = try await app.send(.GET, "/api/v1/recognition?program=RIDE", token: world.rep.token)
            #expect(none.status == .unprocessableEntity)
            let two = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&phone=3125550142&email=a@b.org", token: world.rep.token)
            #expect(two.status == .unprocessableEntity)
            let garbage = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&phone=call-me", token: world.rep.token)
            #expect(try garbage.problem().errors?.map(\.field) == ["phone"])
            let other = try await app.send(
                .GET, "/api/v1/recognition?program=HELP&phone=02079460958", token: world.rep.token)
            #expect(other.status == .notFound)
            #expect(try other.problem().type == "urn:daymaker:problem:not-found")
            let noProgram = try await app.send(.GET, "/api/v1/recognition?phone=3125550142", token: world.rep.token)
            #expect(try noProgram.problem().errors?.map(\.field) == ["program"])
        }
    }

    @Test func careNotesShowOnTheCardAndEveryReadIsAudited() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let before = try await AuditEntry.query(on: app.db).filter(\.$action == "care-notes.read").count()
            let card = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&customerNumber=100001", token: world.rep.token
            )
            .json(RecognitionResponse.self).matches[0]
            #expect(card.careNotes.map(\.guidance) == ["Be gentle; he may want to talk."])
            #expect(card.careNotes.first?.author == "Rep")
            let reads = try await AuditEntry.query(on: app.db).filter(\.$action == "care-notes.read").all()
            #expect(reads.count == before + 1)
            #expect(reads.last?.actorID == world.rep.id)
            #expect(reads.last?.recordID == world.rideCustomer.id)
            // An admin from outside the program sees the card but not the care notes.
            let adminCard = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&customerNumber=100001", token: world.admin.token
            )
            .json(RecognitionResponse.self).matches[0]
            #expect(adminCard.careNotes.isEmpty)
            // Retired notes leave the card.
            let retire = try await app.send(
                .POST, "/api/v1/care-notes/\(world.rideCareNote.id!)/retire", token: world.supervisor.token, json: "{}")
            #expect(retire.status == .ok)
            let after = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&customerNumber=100001", token: world.rep.token
            )
            .json(RecognitionResponse.self).matches[0]
            #expect(after.careNotes.isEmpty)
            let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
            #expect(actions.contains("care-note.added"))
            #expect(actions.contains("care-note.retired"))
        }
    }

    @Test func careNoteChangesAreForSupervisorsAndValidated() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let id = world.rideCareNote.id!
            let rep = try await app.send(
                .PATCH, "/api/v1/care-notes/\(id)", token: world.rep.token, json: #"{"text":"x"}"#)
            #expect(rep.status == .forbidden)
            let bad = try await app.send(
                .PATCH, "/api/v1/care-notes/\(id)", token: world.supervisor.token,
                json: #"{"text":"","reviewOn":"next spring"}"#)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["text", "reviewOn"])
            let good = try await app.send(
                .PATCH, "/api/v1/care-notes/\(id)", token: world.supervisor.token,
                json: #"{"guidance":"Ask how he is doing.","reviewOn":"2027-03-01"}"#)
            #expect(try good.json(CareNoteDTO.self).reviewOn == "2027-03-01")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "care-note.changed").count() == 1)
        }
    }

    @Test func theCardShowsNextWeeksBookingsAndConfirmingRecordsItOnBookingAndContact() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let later = try await app.send(
                .POST, "/api/v1/bookings", token: world.rep.token,
                json: """
                    {"customerId":"\(world.rideCustomer.id!)","kind":"ride","startsAt":"\(ISO8601DateFormatter().string(from: app.clock.now.addingTimeInterval(10 * 86_400)))"}
                    """)
            #expect(later.status == .created)
            let card = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&customerNumber=100001", token: world.rep.token
            )
            .json(RecognitionResponse.self).matches[0]
            #expect(card.upcomingBookings.map(\.id) == [world.rideBooking.id!])
            #expect(card.upcomingBookings.first?.pickUp == "Home")

            let confirmed = try await app.send(
                .POST, "/api/v1/bookings/\(world.rideBooking.id!)/confirm", token: world.rep.token,
                json: #"{"contactId":"\#(world.rideContact.id!)"}"#)
            #expect(confirmed.status == .ok)
            let booking = try confirmed.json(BookingDTO.self)
            #expect(booking.status == .confirmed)
            #expect(booking.confirmedById == world.rep.id)
            #expect(booking.confirmedContactId == world.rideContact.id)
            let contact = try await app.send(.GET, "/api/v1/contacts/\(world.rideContact.id!)", token: world.rep.token)
                .json(ContactDTO.self)
            #expect(contact.summary?.contains("Confirmed ride for") == true)
            let wrongContact = try await app.send(
                .POST, "/api/v1/bookings/\(world.rideBooking.id!)/confirm", token: world.rep.token,
                json: #"{"contactId":"\#(world.helpContact.id!)"}"#)
            #expect(try wrongContact.problem().errors?.map(\.field) == ["contactId"])
        }
    }

    @Test func bookingImportKeepsGoodRowsAndReportsBadOnesByLine() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let csv = """
                customer_number,kind,starts_at,pick_up,drop_off,notes,status,external_id\r
                100001,ride,2026-12-01 09:30,"12 Elm St, Apt 4",Dialysis Center,"Needs the ""big"" van",,T-1\r
                999999,ride,2026-12-01 10:00,,,,,T-2\r
                100001,ride,tomorrow-ish,,,,,T-3\r
                100001,,2026-12-02 09:30,,,,,T-4\r
                100001,ride,2026-12-03T09:30:00Z,,,,confirmed,T-5\r
                100001,ride,2026-12-04 09:30,,,,lost,T-6\r

                """
            let before = try await Booking.query(on: app.db).count()
            var headers: HTTPHeaders = ["Content-Type": "text/csv"]
            headers.bearerAuthorization = .init(token: world.rep.token)
            let response = try await app.testing().sendRequest(
                .POST, "/api/v1/bookings/import?program=RIDE", headers: headers, body: ByteBuffer(string: csv))
            #expect(response.status == .ok)
            let report = try response.json(ImportReport.self)
            #expect(report.created == 2)
            #expect(report.updated == 0)
            #expect(report.rejected.map(\.line) == [3, 4, 5, 7])
            #expect(
                report.rejected.map { $0.errors.map(\.field) } == [
                    ["customer_number"], ["starts_at"], ["kind"], ["status"],
                ])
            #expect(try await Booking.query(on: app.db).count() == before + 2)
            let first = try #require(try await Booking.query(on: app.db).filter(\.$externalID == "T-1").first())
            #expect(first.pickUp == "12 Elm St, Apt 4")
            #expect(first.notes == #"Needs the "big" van"#)
            // 09:30 in Chicago on 1 December is 15:30 UTC.
            #expect(first.startsAt == ISO8601DateFormatter().date(from: "2026-12-01T15:30:00Z"))
            // Importing again changes nothing.
            let again = try await app.testing().sendRequest(
                .POST, "/api/v1/bookings/import?program=RIDE", headers: headers, body: ByteBuffer(string: csv))
            #expect(try again.json(ImportReport.self).unchanged == 2)
            #expect(try again.json(ImportReport.self).updated == 0)
            #expect(try await Booking.query(on: app.db).count() == before + 2)
            // A file without the required columns is refused whole.
            let broken = try await app.testing().sendRequest(
                .POST, "/api/v1/bookings/import?program=RIDE", headers: headers,
                body: ByteBuffer(string: "name,when\nJohn,today\n"))
            #expect(try broken.problem().errors?.first?.field == "header")
        }
    }

    @Test func supervisorsTuneTheSettingsAndRepsCannot() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let path = "/api/v1/programs/\(world.ride.id!)/recognition-settings"
            #expect(try await app.send(.GET, path, token: world.rep.token).json(RecognitionSettings.self) == .defaults)
            #expect(
                try await app.send(.PUT, path, token: world.rep.token, json: #"{"windowDays":30}"#).status == .forbidden
            )
            let bad = try await app.send(
                .PUT, path, token: world.supervisor.token, json: #"{"windowDays":3,"greeting":"Hi {firstname}"}"#)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["windowDays", "greeting"])
            let good = try await app.send(
                .PUT, path, token: world.supervisor.token,
                json: #"{"regularMinimumContacts":2,"greeting":"Hello {name}, {rep} here at {program}."}"#)
            #expect(good.status == .ok)
            let settings = try await app.send(.GET, path, token: world.rep.token).json(RecognitionSettings.self)
            #expect(settings.regularMinimumContacts == 2)
            #expect(settings.windowDays == 90)
            try await Self.history(app, customer: world.rideCustomer, daysAgo: [1, 3], rep: world.rep.id)
            let card = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&customerNumber=100001", token: world.rep.token
            )
            .json(RecognitionResponse.self).matches[0]
            #expect(card.regular)
            #expect(card.greeting == "Hello John, Rep here at Ride Line.")
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$action == "recognition-settings.changed").count() == 1)
        }
    }
}
