import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct OpenAPIDocumentTests {
    /// `/api/v1/customers/:customerID` → `/api/v1/customers/{customerId}`: OpenAPI names parameters in camelCase.
    static func openAPIPath(_ components: [PathComponent]) -> String {
        "/"
            + components.map { component -> String in
                if case .parameter(let name) = component {
                    return "{" + name.replacingOccurrences(of: "ID", with: "Id") + "}"
                }
                return "\(component)"
            }.joined(separator: "/")
    }

    @Test func documentAndRoutesNameTheSameOperations() async throws {
        try await withApp { app in
            let response = try await app.send(.GET, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(
                paths.flatMap { path, operations in
                    operations.keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) }
                        .map { "\($0.uppercased()) \(path)" }
                })
            let served = Set(
                app.routes.all
                    .filter { $0.path.starts(with: ["api", "v1"]) }
                    .map { "\($0.method.rawValue) \(Self.openAPIPath($0.path))" })
            #expect(served.subtracting(documented).isEmpty, "routes missing from openapi.json")
            #expect(documented.subtracting(served).isEmpty, "openapi.json names routes that do not exist")
            #expect(served.count >= 15)
        }
    }

    @Test func everyReferencedSchemaExists() throws {
        let text = String(decoding: OpenAPIDocument.data, as: UTF8.self)
        let document = try #require(try JSONSerialization.jsonObject(with: OpenAPIDocument.data) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let references = text.components(separatedBy: "\"#/components/schemas/").dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }
        #expect(!references.isEmpty)
        for reference in Set(references) { #expect(schemas[reference] != nil, "missing schema \(reference)") }
    }

    @Test func aKnownPathAskedWithAnotherMethodAnswers405WithAllow() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let trace = try await app.send(.RAW(value: "TRACE"), "/api/v1/me", token: world.admin.token)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers.first(name: .allow) == "GET, HEAD")
            #expect(try trace.problem().type == "urn:daymaker:problem:method-not-allowed")
            let delete = try await app.send(
                .DELETE, "/api/v1/customers/\(world.rideCustomer.id!)", token: world.admin.token)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers.first(name: .allow) == "GET, HEAD, PATCH")
            let page = try await app.send(.PUT, "/sign-in")
            #expect(page.status == .methodNotAllowed)
            #expect(page.headers.first(name: .allow) == "GET, HEAD, POST")
            // A fixed path wins over a parameter: /bookings/import is the import, not a booking called "import".
            let importPatch = try await app.send(
                .PATCH, "/api/v1/bookings/import", token: world.admin.token, json: "{}")
            #expect(importPatch.status == .methodNotAllowed)
            #expect(importPatch.headers.first(name: .allow) == "POST")
            #expect(
                try await app.send(.GET, "/api/v1/bookings/\(UUID())", token: world.admin.token).status == .notFound)
            #expect(try await app.send(.GET, "/api/v1/nothing-here", token: world.admin.token).status == .notFound)
            #expect(try await app.send(.GET, "/api/v1/customers/a/b/c", token: world.admin.token).status == .notFound)
        }
    }

    @Test func rulesTheDocumentStatesAreTheServersRules() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            // An empty cursor is the first page.
            #expect(try await app.send(.GET, "/api/v1/users?cursor=", token: world.admin.token).status == .ok)
            // Lengths are counted in code points, as JSON Schema's maxLength counts them: 40 letters with 40 marks
            // are 80 code points, over the 40 a booking kind may have.
            let combining = String(repeating: "e\u{301}", count: 40)
            let kind = try await app.send(
                .POST, "/api/v1/bookings", token: world.rep.token,
                json:
                    #"{"customerId":"\#(world.rideCustomer.id!)","kind":"\#(combining)","startsAt":"2026-12-24T10:00:00Z"}"#
            )
            #expect(kind.status == .unprocessableEntity)
            #expect(try kind.problem().errors?.map(\.field) == ["kind"])
            let external = try await app.send(
                .POST, "/api/v1/bookings", token: world.rep.token,
                json:
                    #"{"customerId":"\#(world.rideCustomer.id!)","kind":"ride","startsAt":"2026-12-24T10:00:00Z","externalId":"\#(String(repeating: "x", count: 201))"}"#
            )
            #expect(try external.problem().errors?.map(\.field) == ["externalId"])
            // A { in a greeting only begins a known placeholder; whitespace alone is no greeting.
            let path = "/api/v1/programs/\(world.ride.id!)/recognition-settings"
            let brace = try await app.send(.PUT, path, token: world.supervisor.token, json: #"{"greeting":"Hi {name"}"#)
            #expect(try brace.problem().errors?.map(\.field) == ["greeting"])
            let blank = try await app.send(.PUT, path, token: world.supervisor.token, json: #"{"greeting":"\f"}"#)
            #expect(try blank.problem().errors?.map(\.field) == ["greeting"])
        }
    }

    @Test func theConformanceCheckCatchesAKeyThatDisappears() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let response = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&customerNumber=100001", token: world.rep.token)
            #expect(response.status == .ok)
            #expect(
                SchemaConformance.problems(method: .GET, path: "/api/v1/recognition", status: .ok, body: response.body)
                    .isEmpty)
            // The same card without one documented key, as a drifting server would send it.
            var document = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            var matches = try #require(document["matches"] as? [[String: Any]])
            matches[0]["usualGapDays"] = nil
            document["matches"] = matches
            let drifted = ByteBuffer(data: try JSONSerialization.data(withJSONObject: document))
            #expect(
                SchemaConformance.problems(method: .GET, path: "/api/v1/recognition", status: .ok, body: drifted)
                    == ["GET /api/v1/recognition → 200: /matches/0/usualGapDays is missing"])
            #expect(
                SchemaConformance.problems(method: .GET, path: "/api/v1/me", status: .conflict, body: response.body)
                    == ["GET /api/v1/me → 409: status not documented"])
        }
    }

    @Test func idsGoOutInLowerCaseAndComeInInEitherCase() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let id = try #require(world.rideCustomer.id)
            let customer = try await app.send(
                .GET, "/api/v1/customers/\(id.uuidString.uppercased())", token: world.rep.token)
            #expect(customer.status == .ok)
            let body = String(buffer: customer.body)
            #expect(body.contains(#""id":"\#(id.uuidString.lowercased())""#))
            #expect(!body.contains(id.uuidString.uppercased()))
            let contact = try await app.send(
                .POST, "/api/v1/contacts", token: world.rep.token,
                json:
                    #"{"program":"RIDE","customerId":"\#(id.uuidString.uppercased())","channel":"voice","direction":"inbound","from":"+13125550100","to":"+13125550199"}"#
            )
            #expect(contact.status == .created)
            let written = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: contact.body)) as? [String: Any])
            #expect(written["customerId"] as? String == id.uuidString.lowercased())
            // An optional id with no value is there, as null.
            #expect(written["repId"] is NSNull)
            let card = try await app.send(
                .GET, "/api/v1/recognition?program=RIDE&customerNumber=100001", token: world.rep.token)
            #expect(String(buffer: card.body).contains(#""id":"\#(id.uuidString.lowercased())""#))
            // The document says so, and the conformance check holds a response to it.
            let shouted = ByteBuffer(
                string: body.replacingOccurrences(of: id.uuidString.lowercased(), with: id.uuidString.uppercased()))
            #expect(
                SchemaConformance.problems(method: .GET, path: "/api/v1/customers/\(id)", status: .ok, body: shouted)
                    == [
                        #"GET /api/v1/customers/{customerId} → 200: /id: "\#(id.uuidString.uppercased())" does not match ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"#
                    ])
        }
    }
}
