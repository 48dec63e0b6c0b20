import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct CustomerAPITests {
    @Test func createStoresNormalisedIdentifiersAndReadsBack() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let created = try await app.send(
                .POST, "/api/v1/customers", token: world.rep.token,
                json: """
                    {"program":"ride","customerNumber":"200300","fullName":"Gloria Washington","preferredName":"Gloria",
                     "phones":[{"number":"1-847-555-0199","label":"home"},{"number":"(773) 555 0100"}],
                     "emails":["  Gloria.W@Example.COM "],"handles":[{"network":"X","handle":"@GloriaW"}],
                     "notes":"Prefers morning calls."}
                    """)
            #expect(created.status == .created)
            let dto = try created.json(CustomerDTO.self)
            #expect(created.headers.first(name: .location) == "/api/v1/customers/\(dto.id.lowercaseText)")
            #expect(dto.program == "RIDE")
            #expect(
                dto.phones == [.init(number: "+18475550199", label: "home"), .init(number: "+17735550100", label: nil)])
            #expect(dto.emails == ["gloria.w@example.com"])
            #expect(dto.handles == [.init(network: "x", handle: "gloriaw")])

            let read = try await app.send(.GET, "/api/v1/customers/\(dto.id)", token: world.rep.token)
            #expect(read.status == .ok)
            #expect(try read.json(CustomerDTO.self) == dto)
        }
    }

    @Test func searchFindsACustomerByPhoneInAnyFormat() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            for format in ["(312) 555-0142", "312.555.0142", "+1 312 555 0142", "1-312-555-0142", "3125550142"] {
                let query = format.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let response = try await app.send(.GET, "/api/v1/customers?phone=\(query)", token: world.rep.token)
                #expect(response.status == .ok)
                let page = try response.json(ItemPage<CustomerDTO>.self)
                #expect(page.items.map(\.id) == [world.rideCustomer.id!], "phone format \(format)")
            }
        }
    }

    @Test func searchByEmailNumberNameAndTheOneBox() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let john = world.rideCustomer.id!
            for query in [
                "email=JOHN.MILLER@example.com", "customerNumber=100001", "name=mill", "q=100001", "q=miller",
                "q=john.miller%40example.com", "q=%40johnm", "q=%28312%29%20555-0142", "program=RIDE&q=john",
            ] {
                let response = try await app.send(.GET, "/api/v1/customers?\(query)", token: world.rep.token)
                #expect(response.status == .ok, "\(query)")
                #expect(try response.json(ItemPage<CustomerDTO>.self).items.map(\.id) == [john], "\(query)")
            }
            let none = try await app.send(.GET, "/api/v1/customers?q=nobody-like-this", token: world.rep.token)
            #expect(try none.json(ItemPage<CustomerDTO>.self).items.isEmpty)
        }
    }

    @Test func searchNeverCrossesIntoAnotherProgram() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            // The HELP customer's number, asked for by a RIDE rep, finds nobody.
            let response = try await app.send(.GET, "/api/v1/customers?q=Alice", token: world.rep.token)
            #expect(try response.json(ItemPage<CustomerDTO>.self).items.isEmpty)
            let other = try await app.send(.GET, "/api/v1/customers?program=HELP", token: world.rep.token)
            #expect(other.status == .notFound)
            let admin = try await app.send(.GET, "/api/v1/customers?q=Alice", token: world.admin.token)
            #expect(try admin.json(ItemPage<CustomerDTO>.self).items.map(\.id) == [world.helpCustomer.id!])
        }
    }

    @Test func paginationIsStableAndComplete() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            for index in 0..<23 {
                let response = try await app.send(
                    .POST, "/api/v1/customers", token: world.rep.token,
                    json: """
                        {"program":"RIDE","customerNumber":"P\(index)","fullName":"Pat Page \(index % 5)"}
                        """)
                #expect(response.status == .created)
            }
            var seen: [UUID] = []
            var cursor: String?
            var pages = 0
            repeat {
                let path = "/api/v1/customers?name=page&limit=10" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await app.send(.GET, path, token: world.rep.token).json(ItemPage<CustomerDTO>.self)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen.count == 23)
            #expect(Set(seen).count == 23)
            let names = try await Customer.query(on: app.db).all().filter { $0.fullName.hasPrefix("Pat") }
            let expectedOrder = names.sorted { ($0.searchName, $0.id!.uuidString) < ($1.searchName, $1.id!.uuidString) }
            #expect(seen.count == expectedOrder.count)
        }
    }

    @Test func updateChangesOnlyWhatIsSentAndNullClears() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let id = world.rideCustomer.id!
            let response = try await app.send(
                .PATCH, "/api/v1/customers/\(id)", token: world.rep.token,
                json: """
                    {"preferredName":null,"phones":[{"number":"312 555 0143"}],"notes":"Moved house."}
                    """)
            #expect(response.status == .ok)
            let dto = try response.json(CustomerDTO.self)
            #expect(dto.preferredName == nil)
            #expect(dto.fullName == "John Miller")
            #expect(dto.phones.map(\.number) == ["+13125550143"])
            #expect(dto.emails == ["john.miller@example.com"])
            #expect(dto.notes == "Moved house.")
            let old = try await app.send(.GET, "/api/v1/customers?phone=3125550142", token: world.rep.token)
            #expect(try old.json(ItemPage<CustomerDTO>.self).items.isEmpty)
        }
    }

    @Test func invalidInputIsAProblemNamingEveryFieldAndStoresNothing() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let before = try await Customer.query(on: app.db).count()
            let response = try await app.send(
                .POST, "/api/v1/customers", token: world.rep.token,
                json: """
                    {"program":"RIDE","customerNumber":"  ","fullName":"Ann","phones":[{"number":"anonymous"},{"number":"12"}],
                     "emails":["not-an-email"],"timeZone":"Mars/Olympus"}
                    """)
            #expect(response.status == .unprocessableEntity)
            let problem = try response.problem()
            #expect(problem.type == "urn:daymaker:problem:validation")
            #expect(problem.status == 422)
            let fields = Set(problem.errors?.map(\.field) ?? [])
            #expect(fields == ["customerNumber", "phones[0].number", "phones[1].number", "emails[0]", "timeZone"])
            #expect(try await Customer.query(on: app.db).count() == before)
        }
    }

    @Test func unknownFieldsAreRejected() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let response = try await app.send(
                .POST, "/api/v1/customers", token: world.rep.token,
                json: """
                    {"program":"RIDE","customerNumber":"9","fullName":"Ann Typo","prefferedName":"Annie",
                     "phones":[{"number":"3125550100","lable":"home"}]}
                    """)
            #expect(response.status == .unprocessableEntity)
            #expect(Set(try response.problem().errors?.map(\.field) ?? []) == ["prefferedName", "phones[0].lable"])
        }
    }

    @Test func malformedJSONMissingFieldsAndWrongTypesAreProblems() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let broken = try await app.send(.POST, "/api/v1/customers", token: world.rep.token, json: "{\"program\":")
            #expect(broken.status == .badRequest)
            #expect(try broken.problem().type == "urn:daymaker:problem:bad-request")
            let missing = try await app.send(
                .POST, "/api/v1/customers", token: world.rep.token, json: #"{"program":"RIDE"}"#)
            #expect(missing.status == .unprocessableEntity)
            #expect(try missing.problem().errors?.first?.field == "customerNumber")
            let wrongType = try await app.send(
                .POST, "/api/v1/customers", token: world.rep.token,
                json: #"{"program":"RIDE","customerNumber":5,"fullName":"X"}"#)
            #expect(try wrongType.problem().errors?.first == .init(field: "customerNumber", detail: "must be a string"))
            let notJSON = try await app.send(
                .POST, "/api/v1/customers", token: world.rep.token, headers: ["Content-Type": "text/plain"])
            #expect(notJSON.status == .unsupportedMediaType)
            #expect(try notJSON.problem().status == 415)
        }
    }

    @Test func duplicateCustomerNumberIsAConflict() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let response = try await app.send(
                .POST, "/api/v1/customers", token: world.rep.token,
                json: """
                    {"program":"RIDE","customerNumber":"100001","fullName":"Someone Else"}
                    """)
            #expect(response.status == .conflict)
            #expect(try response.problem().detail.contains("100001"))
            // The same number is fine in another program.
            let other = try await app.send(
                .POST, "/api/v1/customers", token: world.helpRep.token,
                json: """
                    {"program":"HELP","customerNumber":"100001","fullName":"Someone Else"}
                    """)
            #expect(other.status == .created)
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            // The limit applies while a real server streams the body in, so this goes over a real socket.
            let notes = String(repeating: "x", count: 1_100_000)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: world.rep.token)
            headers.contentType = .json
            let response = try await app.testing(method: .running(hostname: "127.0.0.1", port: 0)).sendRequest(
                .POST, "/api/v1/customers", headers: headers,
                body: ByteBuffer(
                    string: #"{"program":"RIDE","customerNumber":"big","fullName":"Big","notes":"\#(notes)"}"#))
            #expect(response.status == .payloadTooLarge)
            #expect(try response.problem().type == "urn:daymaker:problem:payload-too-large")
        }
    }

    @Test func preferredRepMustBelongToTheProgram() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let id = world.rideCustomer.id!
            let wrong = try await app.send(
                .PATCH, "/api/v1/customers/\(id)", token: world.rep.token,
                json: #"{"preferredRepId":"\#(world.helpRep.id)"}"#)
            #expect(try wrong.problem().errors?.map(\.field) == ["preferredRepId"])
            let right = try await app.send(
                .PATCH, "/api/v1/customers/\(id)", token: world.rep.token,
                json: #"{"preferredRepId":"\#(world.rep.id)"}"#)
            #expect(try right.json(CustomerDTO.self).preferredRepId == world.rep.id)
        }
    }
}
