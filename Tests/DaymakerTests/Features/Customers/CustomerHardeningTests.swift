import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

/// Customer data is never lost or locked by a race, an old value or an oversized request.
@Suite struct CustomerHardeningTests {
    @Test func twentyQuickNotesAtOnceAreAllKept() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let customerID = try #require(world.rideCustomer.id)
            try await LiveServer.run(app) { server in
                let rep = try await BrowserSession.start(server, email: "rep@test.example")
                let replies = try await server.concurrently(20) { index in
                    var browser = rep
                    return try await browser.post(
                        server, "/desk/customers/\(customerID)/note", form: ["note": "Note number \(index)"])
                }
                #expect(replies.allSatisfy { $0.status == .seeOther })
                let stored = try await CustomerNote.query(on: app.db).filter(\.$customer.$id == customerID).all()
                #expect(Set(stored.map(\.text)) == Set((0..<20).map { "Note number \($0)" }))
                // The API's customer notes field is a different thing and untouched.
                #expect(try await Customer.find(customerID, on: app.db)?.notes == "")
            }
        }
    }

    @Test func anOversizedStoredValueDoesNotBlockAnUnrelatedChange() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let customer = try #require(try await Customer.find(world.rideCustomer.id, on: app.db))
            customer.notes = String(repeating: "Long story. ", count: 600)  // 7,200 characters, over today's 5,000
            try await customer.save(on: app.db)
            // A number stored before today's dialing rules (no longer parseable) is kept by a PATCH that omits phones.
            let legacy = CustomerPhone()
            legacy.$customer.id = try customer.requireID()
            legacy.programID = customer.$program.id
            legacy.e164 = "+999"
            legacy.position = 1
            try await legacy.create(on: app.db)
            let response = try await app.send(
                .PATCH, "/api/v1/customers/\(world.rideCustomer.id!)", token: world.rep.token,
                json: #"{"preferredName":"Audi"}"#)
            #expect(response.status == .ok)
            let after = try #require(try await Customer.find(world.rideCustomer.id, on: app.db))
            #expect(after.preferredName == "Audi")
            #expect(after.notes == customer.notes)
            let phones = try await CustomerPhone.query(on: app.db).filter(\.$customer.$id == world.rideCustomer.id!)
                .all()
            #expect(Set(phones.map(\.e164)) == ["+13125550142", "+999"])
            // Sending the notes field itself is checked against the limit.
            let notes = try await app.send(
                .PATCH, "/api/v1/customers/\(world.rideCustomer.id!)", token: world.rep.token,
                json: #"{"notes":"\#(String(repeating: "x", count: 5_001))"}"#)
            #expect(notes.status == .unprocessableEntity)
        }
    }

    @Test func emailAndHandleListsAreCappedLikePhones() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let emails = (0..<30_000).map { "\"person\($0)@example.com\"" }.joined(separator: ",")
            let many = try await app.send(
                .POST, "/api/v1/customers", token: world.rep.token,
                json: #"{"program":"RIDE","customerNumber":"M-1","fullName":"Many Mails","emails":[\#(emails)]}"#)
            #expect(many.status == .unprocessableEntity)
            #expect(try many.problem().errors?.map(\.field) == ["emails"])
            let handles = (0..<11).map { #"{"network":"x","handle":"h\#($0)"}"# }.joined(separator: ",")
            let tooManyHandles = try await app.send(
                .PATCH, "/api/v1/customers/\(world.rideCustomer.id!)", token: world.rep.token,
                json: #"{"handles":[\#(handles)]}"#)
            #expect(tooManyHandles.status == .unprocessableEntity)
            #expect(try tooManyHandles.problem().errors?.map(\.field) == ["handles"])
            let duplicates = try await app.send(
                .PATCH, "/api/v1/customers/\(world.rideCustomer.id!)", token: world.rep.token,
                json: #"{"emails":["a@example.com","A@example.com","a@example.com"]}"#)
            #expect(try duplicates.json(CustomerDTO.self).emails == ["a@example.com"])
        }
    }

    @Test func racingCreatesOfOneCustomerNumberGiveOneCustomerAndConflicts() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            try await LiveServer.run(app) { server in
                let replies = try await server.concurrently(12) { index in
                    var headers: HTTPHeaders = ["Content-Type": "application/json"]
                    headers.bearerAuthorization = .init(token: world.rep.token)
                    return try await server.exchange(
                        .POST, "/api/v1/customers", headers: headers,
                        body: ByteBuffer(
                            string: #"{"program":"RIDE","customerNumber":"RACE-1","fullName":"Racer \#(index)"}"#))
                }
                #expect(replies.filter { $0.status == .created }.count == 1)
                #expect(
                    replies.allSatisfy { [.created, .conflict].contains($0.status) }, "\(replies.map(\.status.code))")
                #expect(try await Customer.query(on: app.db).filter(\.$customerNumber == "RACE-1").count() == 1)
            }
        }
    }

    @Test func searchTreatsPercentAndUnderscoreAsText() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            for query in ["%", "_", "j_hn", "%ill%"] {
                let found = try await app.send(
                    .GET, "/api/v1/customers?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                    token: world.rep.token)
                #expect(try found.json(ItemPage<CustomerDTO>.self).items.isEmpty, "\(query)")
            }
            let plain = try await app.send(.GET, "/api/v1/customers?q=mill", token: world.rep.token)
            #expect(try plain.json(ItemPage<CustomerDTO>.self).items.map(\.fullName) == ["John Miller"])
        }
    }

    @Test func textWithANulCharacterIsRefusedOnEveryDatabase() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let response = try await app.send(
                .POST, "/api/v1/customers", token: world.rep.token,
                json: #"{"program":"RIDE","customerNumber":"N-1","fullName":"Nul\u0000Name"}"#)
            #expect(response.status == .unprocessableEntity)
            #expect(try response.problem().errors?.map(\.field) == ["fullName"])
            #expect(try await Customer.query(on: app.db).filter(\.$customerNumber == "N-1").count() == 0)
            // Any JSON string field, nested too, is checked in the one place bodies are read.
            let contacts = try await Contact.query(on: app.db).count()
            let contact = try await app.send(
                .POST, "/api/v1/contacts", token: world.rep.token,
                json:
                    #"{"program":"RIDE","channel":"voice","direction":"inbound","from":"+13125550142","to":"+13125550100","reason":"Ride\u0000"}"#
            )
            #expect(contact.status == .unprocessableEntity)
            #expect(try contact.problem().errors?.map(\.field) == ["reason"])
            #expect(try await Contact.query(on: app.db).count() == contacts)
        }
    }
}
