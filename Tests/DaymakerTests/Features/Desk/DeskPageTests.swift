import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct DeskPageTests {
    @Test func theDeskRecognisesAMissedRegularByPhoneInAnyFormat() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            try await RecognitionAPITests.history(
                app, customer: world.rideCustomer, daysAgo: Array(stride(from: 12.0, through: 40, by: 1)),
                rep: world.rep.id)
            var browser = try await BrowserSession.start(app, email: "rep@test.example")
            let page = try await browser.get(app, "/desk?q=%2B1%20312%20555%200142")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(
                html.contains("Hi John! We haven&#39;t heard from you in 12 days")
                    || html.contains("Hi John! We haven't heard from you in 12 days"))
            #expect(html.contains("missed you"))
            #expect(html.contains("usually every day"))
            #expect(html.contains("Be gentle; he may want to talk."))
            #expect(html.contains("Confirm ride"))
        }
    }

    @Test func householdShowsCandidatesAndUnknownShowsANewCallerForm() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            _ = try await Customer.create(
                try CustomerDraft.validate(
                    customerNumber: "100002", fullName: "Mary Miller", preferredName: nil,
                    phones: [.init(number: "3125550142", label: nil)], emails: [], handles: [], timeZone: nil,
                    notes: "",
                    preferredRepID: nil, country: "US"),
                programID: world.ride.id!, on: app.db)
            var browser = try await BrowserSession.start(app, email: "rep@test.example")
            let both = try await browser.get(app, "/desk?q=312-555-0142").body.string
            #expect(both.contains(#"id="candidates""#))
            #expect(both.contains("Mary Miller") && both.contains("John Miller"))

            let unknown = try await browser.get(app, "/desk?q=(773)%20555-0199").body.string
            #expect(unknown.contains(#"id="new-caller""#))
            #expect(unknown.contains(#"value="(773) 555-0199""#))
            let created = try await browser.post(
                app, "/desk/customers",
                form: [
                    "program": "RIDE", "fullName": "Rosa Diaz", "preferredName": "Rosa", "phone": "(773) 555-0199",
                ])
            #expect(created.status == .seeOther)
            let rosa = try #require(try await Customer.query(on: app.db).filter(\.$fullName == "Rosa Diaz").first())
            #expect(created.headers.first(name: .location)?.hasPrefix("/desk/customers/\(rosa.id!)") == true)
            #expect(
                try await CustomerPhone.query(on: app.db).filter(\.$customer.$id == rosa.id!).first()?.e164
                    == "+17735550199")
            #expect(rosa.customerNumber.hasPrefix("D-"))
            let invalid = try await browser.post(
                app, "/desk/customers", form: ["program": "RIDE", "fullName": "", "phone": "12"])
            #expect(invalid.status == .unprocessableEntity)
        }
    }

    @Test func namesAndCustomerNumbersWorkInTheSameBox() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var browser = try await BrowserSession.start(app, email: "rep@test.example")
            let byNumber = try await browser.get(app, "/desk?q=100001")
            #expect(byNumber.body.string.contains(#"id="card""#))
            let byName = try await browser.get(app, "/desk?q=miller")
            #expect(byName.status == .seeOther)
            #expect(byName.headers.first(name: .location) == "/desk/customers/\(world.rideCustomer.id!)")
            let otherProgram = try await browser.get(app, "/desk?q=Alice")
            #expect(otherProgram.body.string.contains(#"id="new-caller""#))
        }
    }

    @Test func quickNoteAndBookingConfirmationFromTheCard() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var browser = try await BrowserSession.start(app, email: "rep@test.example")
            _ = try await browser.get(app, "/desk/customers/\(world.rideCustomer.id!)")
            let note = try await browser.post(
                app, "/desk/customers/\(world.rideCustomer.id!)/note", form: ["note": "Asked about the Cubs game."])
            #expect(note.status == .seeOther)
            #expect(
                note.headers.first(name: .location) == "/desk/customers/\(world.rideCustomer.id!)?notice=note-saved")
            let notes = try await CustomerNote.query(on: app.db).all()
            #expect(notes.map(\.text) == ["Asked about the Cubs game."])
            #expect(notes.map(\.authorName) == ["Rep"])
            let page = try await browser.get(app, "/desk/customers/\(world.rideCustomer.id!)?notice=note-saved").body
                .string
            #expect(page.contains("Note saved."))
            #expect(page.contains("Asked about the Cubs game."))
            let confirm = try await browser.post(app, "/desk/bookings/\(world.rideBooking.id!)/confirm", form: [:])
            #expect(confirm.status == .seeOther)
            let booking = try #require(try await Booking.find(world.rideBooking.id, on: app.db))
            #expect(booking.status == .confirmed)
            #expect(booking.confirmedByID == world.rep.id)
            let card = try await browser.get(app, "/desk/customers/\(world.rideCustomer.id!)").body.string
            #expect(card.contains("confirmed"))
            #expect(!card.contains("Confirm ride"))
        }
    }

    @Test func customerPageShowsTheCardAndLetsSupervisorsRetireCareNotes() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var rep = try await BrowserSession.start(app, email: "rep@test.example")
            let page = try await rep.get(app, "/customers/\(world.rideCustomer.id!)").body.string
            #expect(page.contains(#"id="care-notes""#))
            #expect(page.contains(#"id="bookings""#))
            #expect(!page.contains("/care-notes/\(world.rideCareNote.id!)/retire"))
            let added = try await rep.post(
                app, "/customers/\(world.rideCustomer.id!)/care-notes",
                form: ["kind": "accessibility", "text": "Uses a wheelchair", "guidance": "Offer the ramp van."])
            #expect(added.status == .seeOther)
            #expect(try await CareNote.query(on: app.db).filter(\.$customer.$id == world.rideCustomer.id!).count() == 2)

            var supervisor = try await BrowserSession.start(app, email: "supervisor@test.example")
            let supervisorPage = try await supervisor.get(app, "/customers/\(world.rideCustomer.id!)").body.string
            #expect(supervisorPage.contains("/care-notes/\(world.rideCareNote.id!)/retire"))
            let retired = try await supervisor.post(app, "/care-notes/\(world.rideCareNote.id!)/retire", form: [:])
            #expect(retired.status == .seeOther)
            #expect(try await CareNote.find(world.rideCareNote.id, on: app.db)?.retiredAt != nil)
        }
    }
}

@Suite struct RecognitionSettingsPageTests {
    @Test func supervisorsSaveSettingsThroughTheFormAndBadValuesAreExplained() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            var supervisor = try await BrowserSession.start(app, email: "supervisor@test.example")
            let page = try await supervisor.get(app, "/settings/recognition")
            #expect(page.status == .ok)
            #expect(page.body.string.contains(#"name="windowDays" inputmode="numeric" value="90""#))
            let bad = try await supervisor.post(
                app, "/settings/recognition",
                form: ["program": "RIDE", "windowDays": "lots", "regularMinimumContacts": "0"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("windowDays: must be a number"))
            #expect(try await RecognitionSettings.load(programID: world.ride.id!, on: app.db) == .defaults)
            let good = try await supervisor.post(
                app, "/settings/recognition",
                form: [
                    "program": "RIDE", "regularMinimumContacts": "3", "windowDays": "60", "missedGapMultiplier": "2.5",
                    "missedMinimumDays": "5", "matchEmailPlusTags": "true", "greeting": "Hello {name}!",
                    "missedGreeting": "{name}! {days} days!", "newCallerGreeting": "Welcome to {program}.",
                ])
            #expect(good.status == .seeOther)
            let saved = try await RecognitionSettings.load(programID: world.ride.id!, on: app.db)
            #expect(saved.regularMinimumContacts == 3 && saved.windowDays == 60 && saved.missedGapMultiplier == 2.5)
            #expect(saved.matchEmailPlusTags && saved.greeting == "Hello {name}!")
        }
    }
}
