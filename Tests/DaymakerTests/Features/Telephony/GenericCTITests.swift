import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// A PBX connector written for Zammad's generic CTI, pointed at Daymaker unchanged: the same contact events come out.
@Suite struct GenericCTITests {
    /// Posts one CTI event as a connector does: form-encoded (`user[]` repeated) or JSON.
    static func post(
        _ app: Application, token: String, program: String = "RIDE", form: [(String, String)]? = nil,
        json: String? = nil
    ) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        var body = ByteBuffer()
        if let form {
            headers.contentType = .urlEncodedForm
            var components = URLComponents()
            components.queryItems = form.map { URLQueryItem(name: $0.0, value: $0.1) }
            body = ByteBuffer(string: (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B"))
        } else if let json {
            headers.contentType = .json
            body = ByteBuffer(string: json)
        }
        return try await app.testing().sendRequest(
            .POST, "/telephony/generic-cti/\(program)/\(token)", headers: headers, body: body)
    }

    static func call(_ event: String, _ id: String, _ extra: (String, String)...) -> [(String, String)] {
        [("event", event), ("from", "493055571600"), ("to", "+1 312 555 0100"), ("direction", "in"), ("callId", id)]
            .map { ($0.0, $0.0 == "from" ? "+13125550142" : $0.1) } + extra
    }

    @Test func aZammadConnectorsCallArrivesIsAnsweredAndEnds() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            let newCall = try await Self.post(
                app, token: desk.pbx,
                form: Self.call("newCall", "5fb9532f40da834a", ("user[]", "Sarah"), ("queue", "ride")))
            #expect(newCall.status == .ok)
            #expect(newCall.body.string == "{}")
            let contact = try #require(try await ContactEventTests.contact("5fb9532f40da834a", on: app.db))
            #expect(contact.$customer.id == desk.world.rideCustomer.id)
            #expect(try await RoutingTests.offers(app, desk.world.rep).count == 1, "routed at once")

            let answer = try await Self.post(
                app, token: desk.pbx,
                form: Self.call(
                    "answer", "5fb9532f40da834a", ("user[]", "Somebody"), ("answeringNumber", "SARAH@test.example")))
            #expect(answer.status == .ok)
            app.manualClock.advance(by: 120)
            for _ in 0..<2 {  // a connector that retries changes nothing
                let hangup = try await Self.post(
                    app, token: desk.pbx, form: Self.call("hangup", "5fb9532f40da834a", ("cause", "normalClearing")))
                #expect(hangup.status == .ok)
            }
            let ended = try #require(try await ContactEventTests.contact("5fb9532f40da834a", on: app.db))
            #expect(ended.status == .ended)
            #expect(ended.$rep.id == desk.sarah.id)
            #expect(ended.endedAt == app.clock.now)
            #expect(try await ContactEventRecord.query(on: app.db).filter(\.$contact.$id == ended.id!).count() == 3)
            #expect(try await RoutingTests.presence(app, desk.sarah.id) == .wrapUp)
        }
    }

    @Test func jsonNamesTheRepAndAMissedCallIsAbandonedOrFailed() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            func json(_ event: String, _ id: String, _ extra: String = "") -> String {
                #"{"event":"\#(event)","from":"+13125550142","to":"+13125550100","direction":"in","callId":"\#(id)"\#(extra)}"#
            }
            #expect(try await Self.post(app, token: desk.pbx, json: json("newCall", "c-1")).status == .ok)
            // One user named, as a string: the member whose display name it is.
            #expect(
                try await Self.post(app, token: desk.pbx, json: json("answer", "c-1", #","user":"sarah""#)).status
                    == .ok)
            #expect(try await ContactEventTests.contact("c-1", on: app.db)?.$rep.id == desk.sarah.id)

            for (id, cause, status) in [("c-2", "cancel", ContactStatus.abandoned), ("c-3", "congestion", .failed)] {
                #expect(try await Self.post(app, token: desk.pbx, json: json("newCall", id)).status == .ok)
                let hangup = json("hangup", id, #","cause":"\#(cause)""#)
                #expect(try await Self.post(app, token: desk.pbx, json: hangup).status == .ok)
                #expect(try await ContactEventTests.contact(id, on: app.db)?.status == status)
            }
            // A call a rep places is not a contact Daymaker tracks yet: answered, nothing recorded.
            let out = json("newCall", "c-4").replacingOccurrences(of: #""in""#, with: #""out""#)
            #expect(try await Self.post(app, token: desk.pbx, json: out).status == .ok)
            #expect(try await ContactEventTests.contact("c-4", on: app.db) == nil)
        }
    }

    @Test func onlyATelephonyTokenOfAMemberMaySendAndBadEventsAreNamed() async throws {
        try await withApp { app in
            let desk = try await RoutingTests.desk(app)
            let newCall = Self.call("newCall", "x-1")
            let unknown = try await Self.post(app, token: "dmk_not-a-token", form: newCall)
            #expect(unknown.status == .unauthorized)
            #expect(try unknown.problem().status == 401)
            #expect(try await Self.post(app, token: desk.world.rep.token, form: newCall).status == .forbidden)
            #expect(try await Self.post(app, token: desk.pbx, program: "HELP", form: newCall).status == .notFound)
            let bad = try await Self.post(app, token: desk.pbx, form: [("event", "ring"), ("callId", "")])
            #expect(bad.status == .unprocessableEntity)
            #expect(try bad.problem().errors?.map(\.field) == ["event", "callId"])
            #expect(try await Contact.query(on: app.db).filter(\.$externalID == "x-1").count() == 0)
        }
    }

    @Test func theRequestLogMasksATokenInThePath() {
        #expect(
            RequestLogMiddleware.masked("/telephony/generic-cti/RIDE/dmk_s3cr3t")
                == "/telephony/generic-cti/RIDE/dmk_…")
        #expect(RequestLogMiddleware.masked("/api/v1/customers/42") == "/api/v1/customers/42")
    }
}
