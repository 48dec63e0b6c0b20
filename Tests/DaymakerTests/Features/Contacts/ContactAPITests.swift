import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct ContactAPITests {
    @Test func recordAContactThenItsOutcome() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let created = try await app.send(
                .POST, "/api/v1/contacts", token: world.rep.token,
                json: """
                    {"program":"RIDE","customerId":"\(world.rideCustomer.id!)","channel":"voice","direction":"inbound",
                     "from":"(312) 555-0142","to":"312-555-0100","status":"connected","arrivedAt":"2026-11-20T15:04:05Z",
                     "answeredAt":"2026-11-20T15:04:35Z","repId":"\(world.rep.id)","reason":"Book a ride","externalId":"pbx-1"}
                    """)
            #expect(created.status == .created)
            let contact = try created.json(ContactDTO.self)
            #expect(contact.from == "+13125550142")
            #expect(contact.to == "+13125550100")
            #expect(contact.status == .connected)
            #expect(contact.arrivedAt == ISO8601DateFormatter().date(from: "2026-11-20T15:04:05Z"))
            #expect(created.body.string.contains(#""arrivedAt":"2026-11-20T15:04:05Z""#))
            #expect(ISO8601.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
            #expect(ISO8601.format(Date(timeIntervalSince1970: 1_795_000_000.9)) == "2026-11-18T11:06:40Z")

            let updated = try await app.send(
                .PATCH, "/api/v1/contacts/\(contact.id)", token: world.rep.token,
                json: """
                    {"status":"ended","endedAt":"2026-11-20T15:10:00Z","summary":"Booked Friday's dialysis ride.","resolution":"follow-up"}
                    """)
            #expect(updated.status == .ok)
            let outcome = try updated.json(ContactDTO.self)
            #expect(outcome.resolution == .followUp)
            #expect(outcome.summary == "Booked Friday's dialysis ride.")
            #expect(outcome.reason == "Book a ride")
            #expect(updated.body.string.contains(#""resolution":"follow-up""#))
            let read = try await app.send(.GET, "/api/v1/contacts/\(contact.id)", token: world.supervisor.token)
            #expect(try read.json(ContactDTO.self) == outcome)
        }
    }

    @Test func historyIsNewestFirstAndPaged() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let customer = world.rideCustomer.id!
            for day in 1...12 {
                let response = try await app.send(
                    .POST, "/api/v1/contacts", token: world.rep.token,
                    json: """
                        {"program":"RIDE","customerId":"\(customer)","channel":"email","direction":"inbound",
                         "from":"John.Miller@example.com","to":"rides@example.org","arrivedAt":"2026-10-\(String(format: "%02d", day))T12:00:00Z"}
                        """)
                #expect(response.status == .created)
            }
            var arrived: [Date] = []
            var cursor: String?
            repeat {
                let page = try await app.send(
                    .GET, "/api/v1/customers/\(customer)/contacts?limit=5" + (cursor.map { "&cursor=\($0)" } ?? ""),
                    token: world.rep.token
                ).json(ItemPage<ContactDTO>.self)
                arrived += page.items.map(\.arrivedAt)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(arrived.count == 13)  // twelve plus the world's own contact
            #expect(arrived == arrived.sorted(by: >))
            let bad = try await app.send(
                .GET, "/api/v1/customers/\(customer)/contacts?limit=500", token: world.rep.token)
            #expect(try bad.problem().errors?.map(\.field) == ["limit"])
            let badCursor = try await app.send(
                .GET, "/api/v1/customers/\(customer)/contacts?cursor=zzz", token: world.rep.token)
            #expect(try badCursor.problem().errors?.map(\.field) == ["cursor"])
        }
    }

    @Test func withheldCallersAreRecordedAsWithheld() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let response = try await app.send(
                .POST, "/api/v1/contacts", token: world.rep.token,
                json: """
                    {"program":"RIDE","channel":"voice","direction":"inbound","from":"anonymous","to":"3125550100","status":"abandoned"}
                    """)
            #expect(try response.json(ContactDTO.self).from == "withheld")
        }
    }

    @Test func badContactsAreProblemsAndStoreNothing() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let before = try await Contact.query(on: app.db).count()
            let cases: [(String, [String])] = [
                (
                    #"{"program":"RIDE","channel":"voice","direction":"inbound","from":"call me","to":"3125550100"}"#,
                    ["from"]
                ),
                (#"{"program":"RIDE","channel":"fax","direction":"inbound","from":"x","to":"y"}"#, ["channel"]),
                (
                    #"{"program":"RIDE","channel":"email","direction":"inbound","from":"nobody","to":"a@b.org"}"#,
                    ["from"]
                ),
                (
                    #"{"program":"RIDE","customerId":"\#(world.helpCustomer.id!)","channel":"sms","direction":"inbound","from":"3125550101","to":"3125550100"}"#,
                    ["customerId"]
                ),
                (
                    #"{"program":"RIDE","repId":"\#(world.helpRep.id)","channel":"sms","direction":"inbound","from":"3125550101","to":"3125550100"}"#,
                    ["repId"]
                ),
                (
                    #"{"program":"RIDE","channel":"chat","direction":"inbound","from":"web","to":"desk","arrivedAt":"2026-11-20T15:00:00Z","endedAt":"2026-11-20T14:00:00Z"}"#,
                    ["endedAt"]
                ),
                (
                    #"{"program":"RIDE","channel":"chat","direction":"inbound","from":"web","to":"desk","arrivedAt":"yesterday"}"#,
                    ["arrivedAt"]
                ),
            ]
            for (body, fields) in cases {
                let response = try await app.send(.POST, "/api/v1/contacts", token: world.rep.token, json: body)
                #expect(response.status == .unprocessableEntity, "\(body)")
                #expect(try response.problem().errors?.map(\.field) == fields, "\(body)")
            }
            #expect(try await Contact.query(on: app.db).count() == before)
        }
    }

    @Test func externalIdIsUniqueWithinAProgram() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let body =
                #"{"program":"RIDE","channel":"voice","direction":"inbound","from":"3125550101","to":"3125550100","externalId":"abc-1"}"#
            #expect(
                try await app.send(.POST, "/api/v1/contacts", token: world.rep.token, json: body).status == .created)
            let again = try await app.send(.POST, "/api/v1/contacts", token: world.rep.token, json: body)
            #expect(again.status == .conflict)
            #expect(try again.problem().detail.contains("abc-1"))
            let elsewhere = body.replacingOccurrences(of: "RIDE", with: "HELP").replacingOccurrences(
                of: "3125550101", with: "020 7946 0001"
            )
            .replacingOccurrences(of: "3125550100", with: "020 7946 0000")
            #expect(
                try await app.send(.POST, "/api/v1/contacts", token: world.admin.token, json: elsewhere).status
                    == .created)
        }
    }
}
