import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// Incidents through the API: one switch for what every channel says, its history, who may change it, and an
/// IVR announcement any PBX can read.
@Suite struct IncidentTests {
    static let declaration = #"""
        {"programs":["RIDE"],"title":"Phones down","publicMessage":"Our phone lines are down; we are on it.",
        "ivrMessage":"We are having trouble with our phone lines. Press 1 and we will call you back.",
        "emailReply":"Thank you for writing. Our phones are down, so answers may take longer today.",
        "channels":["voice","email"]}
        """#

    static func declare(_ app: Application, _ token: String, _ json: String = declaration) async throws -> IncidentDTO {
        let response = try await app.send(.POST, "/api/v1/incidents", token: token, json: json)
        #expect(response.status == .created, "\(response.body.string)")
        let incident = try response.json(IncidentDTO.self)
        #expect(response.headers.first(name: .location) == "/api/v1/incidents/\(incident.id.lowercaseText)")
        return incident
    }

    static func announcement(
        _ app: Application, _ token: String, accept: String = "application/json"
    ) async throws -> TestingHTTPResponse {
        try await app.send(.GET, "/api/v1/ivr/announcement?program=RIDE", token: token, headers: ["Accept": accept])
    }

    @Test func aSupervisorDeclaresUpdatesAndResolvesAnIncident() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let token = world.supervisor.token
            #expect(try await Self.announcement(app, token).json(IVRAnnouncementDTO.self).active == false)
            #expect(try await Self.announcement(app, token, accept: "text/plain").status == .noContent)

            let declared = try await Self.declare(app, token)
            #expect(declared.programs == ["RIDE"])
            #expect(declared.state == "active")
            #expect(declared.channels == ["voice", "email"])
            #expect(declared.updates.map(\.kind) == [.declared])
            #expect(declared.updates.first?.authorId == world.supervisor.id)

            let spoken = try await Self.announcement(app, token).json(IVRAnnouncementDTO.self)
            #expect(spoken.active && spoken.incidentId == declared.id)
            #expect(spoken.message == "We are having trouble with our phone lines. Press 1 and we will call you back.")
            let text = try await Self.announcement(app, token, accept: "text/plain, application/json")
            #expect(text.status == .ok)
            #expect(text.headers.contentType == .plainText)
            #expect(text.body.string == spoken.message)

            let updated = try await app.send(
                .POST, "/api/v1/incidents/\(declared.id.lowercaseText)/updates", token: token,
                json:
                    #"{"message":"The carrier expects the line back by 3 pm.","ivrMessage":"Our lines are back at 3 pm."}"#
            )
            #expect(updated.status == .ok, "\(updated.body.string)")
            #expect(try updated.json(IncidentDTO.self).ivrMessage == "Our lines are back at 3 pm.")
            #expect(try updated.json(IncidentDTO.self).publicMessage == declared.publicMessage)
            #expect(
                try await Self.announcement(app, token).json(IVRAnnouncementDTO.self).message
                    == "Our lines are back at 3 pm.")

            let resolved = try await app.send(
                .POST, "/api/v1/incidents/\(declared.id.lowercaseText)/resolve", token: token, json: "{}")
            #expect(resolved.status == .ok, "\(resolved.body.string)")
            let incident = try resolved.json(IncidentDTO.self)
            #expect(incident.state == "resolved" && incident.resolvedAt != nil)
            #expect(incident.updates.map(\.kind) == [.declared, .updated, .resolved])
            #expect(incident.updates.last?.message == "Service has been restored. Thank you for your patience.")
            #expect(try await Self.announcement(app, token).json(IVRAnnouncementDTO.self).active == false)
            #expect(try await Self.announcement(app, token, accept: "text/plain").status == .noContent)

            // Over is over: no second resolution and no more updates.
            for path in ["resolve", "updates"] {
                let again = try await app.send(
                    .POST, "/api/v1/incidents/\(declared.id.lowercaseText)/\(path)", token: token,
                    json: #"{"message":"Again"}"#)
                #expect(again.status == .conflict, "\(path)")
                #expect(try again.problem().detail.contains("resolved"))
            }
            let listed = try await app.send(.GET, "/api/v1/incidents?state=resolved", token: token)
            #expect(try listed.json(ItemPage<IncidentDTO>.self).items.map(\.id) == [declared.id])
            #expect(
                try await app.send(.GET, "/api/v1/incidents?state=active", token: token)
                    .json(ItemPage<IncidentDTO>.self).items.isEmpty)

            let audit = try await AuditEntry.query(on: app.db).filter(\.$recordType == "incident").sort(\.$at).all()
            #expect(audit.map(\.action) == ["incident.declared", "incident.updated", "incident.resolved"])
            #expect(audit.allSatisfy { $0.actorID == world.supervisor.id && $0.programID == world.ride.id })
        }
    }

    @Test func declaringChecksTheRoleEveryFieldAndEveryProgram() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let asRep = try await app.send(.POST, "/api/v1/incidents", token: world.rep.token, json: Self.declaration)
            #expect(asRep.status == .forbidden)
            let otherProgram = try await app.send(
                .POST, "/api/v1/incidents", token: world.supervisor.token,
                json: Self.declaration.replacingOccurrences(of: #"["RIDE"]"#, with: #"["RIDE","HELP"]"#))
            #expect(otherProgram.status == .notFound)
            #expect(try otherProgram.problem().detail.contains("HELP"))
            let invalid = try await app.send(
                .POST, "/api/v1/incidents", token: world.supervisor.token,
                json: #"""
                    {"programs":["RIDE"],"title":" ","publicMessage":"Down.",
                    "ivrMessage":"See https://status.example.com for news.","channels":["voice","fax"]}
                    """#)
            #expect(invalid.status == .unprocessableEntity)
            #expect(try invalid.problem().errors?.map(\.field) == ["title", "ivrMessage", "channels[1]"])
            let markup = try await app.send(
                .POST, "/api/v1/incidents", token: world.supervisor.token,
                json: #"{"programs":["RIDE"],"title":"Down","publicMessage":"Down.","ivrMessage":"<Say>Down</Say>"}"#)
            #expect(try markup.problem().errors?.map(\.field) == ["ivrMessage"])
            let none = try await app.send(
                .POST, "/api/v1/incidents", token: world.supervisor.token,
                json: #"{"programs":[],"title":"Down","publicMessage":"Down.","ivrMessage":"Down."}"#)
            #expect(try none.problem().errors?.map(\.field) == ["programs"])
            #expect(try await Incident.query(on: app.db).count() == 0)
            #expect(try await IncidentUpdate.query(on: app.db).count() == 0)
        }
    }

    @Test func membersSeeTheirProgramsIncidentsAndOnlyThoseWhoSeeEveryProgramChangeThem() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let both = try await Self.declare(
                app, world.admin.token,
                Self.declaration.replacingOccurrences(of: #"["RIDE"]"#, with: #"["RIDE","HELP"]"#))
            #expect(both.programs == ["HELP", "RIDE"])
            let ride = try await Self.declare(app, world.supervisor.token)
            // The supervisor sees both, but only their own program's code.
            let seen = try await app.send(
                .GET, "/api/v1/incidents/\(both.id.lowercaseText)", token: world.supervisor.token)
            #expect(try seen.json(IncidentDTO.self).programs == ["RIDE"])
            let change = try await app.send(
                .POST, "/api/v1/incidents/\(both.id.lowercaseText)/resolve", token: world.supervisor.token, json: "{}")
            #expect(change.status == .forbidden)
            #expect(try await Incident.find(both.id, on: app.db)?.resolvedAt == nil)
            // A member of HELP only never sees RIDE's incident, nor can a rep change what they see.
            let hidden = try await app.send(
                .GET, "/api/v1/incidents/\(ride.id.lowercaseText)", token: world.helpRep.token)
            #expect(hidden.status == .notFound)
            let listed = try await app.send(.GET, "/api/v1/incidents", token: world.helpRep.token)
            #expect(try listed.json(ItemPage<IncidentDTO>.self).items.map(\.id) == [both.id])
            let byRep = try await app.send(
                .POST, "/api/v1/incidents/\(both.id.lowercaseText)/updates", token: world.helpRep.token,
                json: #"{"message":"Hello"}"#)
            #expect(byRep.status == .forbidden)
            let elsewhere = try await app.send(.GET, "/api/v1/incidents?program=HELP", token: world.supervisor.token)
            #expect(elsewhere.status == .notFound)
        }
    }

    @Test func theIVRAnnouncesOnlyIncidentsOnVoice() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            _ = try await Self.declare(
                app, world.supervisor.token,
                Self.declaration.replacingOccurrences(of: #"["voice","email"]"#, with: #"["email"]"#))
            #expect(try await Self.announcement(app, world.rep.token).json(IVRAnnouncementDTO.self).active == false)
            let voice = try await Self.declare(app, world.supervisor.token)
            #expect(
                try await Self.announcement(app, world.rep.token).json(IVRAnnouncementDTO.self).incidentId == voice.id)
            // A PBX reads it with a telephony token (which reads nothing else of incidents).
            let pbx = try await APITokens.create(
                for: world.rep.user, name: "pbx", scopeNames: ["telephony"], actor: nil, now: app.clock.now, on: app.db
            ).1
            #expect(try await Self.announcement(app, pbx).json(IVRAnnouncementDTO.self).incidentId == voice.id)
            #expect(try await app.send(.GET, "/api/v1/incidents", token: pbx).status == .forbidden)
            let missing = try await app.send(.GET, "/api/v1/ivr/announcement", token: world.rep.token)
            #expect(try missing.problem().errors?.map(\.field) == ["program"])
            let other = try await app.send(.GET, "/api/v1/ivr/announcement?program=HELP", token: world.rep.token)
            #expect(other.status == .notFound)
        }
    }

    @Test func manySupervisorsResolvingAtOnceResolveItOnce() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let incident = try await Self.declare(app, world.supervisor.token)
            try await LiveServer.run(app) { server in
                var json: HTTPHeaders = ["Content-Type": "application/json"]
                json.bearerAuthorization = .init(token: world.supervisor.token)
                let headers = json
                let replies = try await server.concurrently(24) { index in
                    try await server.exchange(
                        .POST, "/api/v1/incidents/\(incident.id.lowercaseText)/resolve", headers: headers,
                        body: ByteBuffer(string: #"{"message":"Back, says \#(index)"}"#))
                }
                #expect(replies.filter { $0.status == .ok }.count == 1)
                #expect(replies.filter { $0.status == .conflict }.count == 23)
            }
            let updates = try await IncidentUpdate.query(on: app.db).filter(\.$kind == .resolved).all()
            #expect(updates.count == 1)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$action == "incident.resolved").count() == 1)
        }
    }
}
