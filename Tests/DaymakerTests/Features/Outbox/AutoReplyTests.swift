import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// Email that arrives during an incident on email gets its auto-reply over real SMTP (STARTTLS, AUTH), once per
/// address and incident.
@Suite struct AutoReplyTests {
    static func mail(_ server: SMTPServer, password: String = "s3cret") -> MailConfig {
        MailConfig(
            host: "127.0.0.1", port: server.port, security: server.certificate == nil ? .none : .starttls,
            username: "daymaker", password: password, from: "noreply@ride.example", caFile: server.certificate,
            heloName: "daymaker.test")
    }

    static func email(_ id: String, from: String) -> String {
        """
        {"eventId":"\(id)","type":"arrived","program":"RIDE","externalContactId":"\(id)","channel":"email",
         "from":"\(from)","to":"help@ride.example","at":"2026-11-18T15:29:00Z"}
        """
    }

    static func declare(_ app: Application, _ world: World, channels: [Contact.Channel]) async throws -> Incident {
        try await Incidents.declare(
            programs: [world.ride],
            messages: try IncidentMessages(
                title: "Email delays", publicMessage: "Email is slow.", ivrMessage: "Email is slow.",
                emailReply:
                    "Thank you for writing. Our systems are down; we will answer as soon as we are back.\n— Ride Line"),
            channels: channels, by: world.supervisor.id, now: app.clock.now, on: app.db)
    }

    /// Ann writes in while an incident covers email.
    static func annWritesDuringAnIncident(_ app: Application) async throws {
        let world = try await World.make(on: app)
        let token = try await ContactEventTests.pbxToken(world, on: app)
        _ = try await declare(app, world, channels: [.email])
        _ = try await app.send(.POST, "/api/v1/events", token: token, json: email("m1", from: "ann@example.com"))
    }

    static func send(_ app: Application) async throws -> Int {
        try await Outbox.sendDue(.init(app), now: app.clock.now, logger: app.logger, on: app.db)
    }

    @Test func emailDuringAnIncidentIsAnsweredOncePerAddressOverStartTLS() async throws {
        let server = try SMTPServer(tls: true, user: "daymaker", password: "s3cret")
        defer { server.stop() }
        try await withApp(adjust: { $0.mail = Self.mail(server) }) { app in
            let world = try await World.make(on: app)
            let token = try await ContactEventTests.pbxToken(world, on: app)
            // Before the incident: no auto-reply.
            _ = try await app.send(
                .POST, "/api/v1/events", token: token, json: Self.email("m0", from: "ann@example.com"))
            let incident = try await Self.declare(app, world, channels: [.email])
            for (id, from) in [
                ("m1", "John.Miller@Example.com"), ("m2", "ann@example.com"), ("m3", "john.miller@example.com"),
            ] {
                let reply = try await app.send(.POST, "/api/v1/events", token: token, json: Self.email(id, from: from))
                #expect(reply.status == .ok)
            }
            // A call is not an email.
            _ = try await app.send(
                .POST, "/api/v1/events", token: token,
                json: ContactEventTests.event("v1", "arrived", contact: "CA-9", at: "2026-11-18T15:29:00Z"))
            #expect(try await Self.send(app) == 2)
            #expect(try await Self.send(app) == 0)

            let received = try server.received()
            #expect(Set(received.flatMap(\.to)) == ["john.miller@example.com", "ann@example.com"])
            #expect(received.allSatisfy { $0.tls && $0.authenticated && $0.from == "noreply@ride.example" })
            let message = try #require(received.first?.message)
            #expect(message.contains("Subject: Email delays"))
            #expect(message.contains("From: Ride Line <noreply@ride.example>"))
            #expect(message.contains("Auto-Submitted: auto-replied"))
            let body = message.components(separatedBy: "\r\n\r\n").dropFirst().joined().replacingOccurrences(
                of: "\r\n", with: "")
            let text = String(decoding: Data(base64Encoded: body) ?? Data(), as: UTF8.self)
            #expect(text.hasPrefix("Thank you for writing. Our systems are down"), "\(message)")
            let sent = try await OutgoingMessage.query(on: app.db).all()
            #expect(sent.count == 2 && sent.allSatisfy { $0.status == .sent && $0.incidentID == incident.id })

            // A new incident answers the same address again, once.
            try await Incidents.resolve(incident, message: nil, by: nil, now: app.clock.now, on: app.db)
            _ = try await Self.declare(app, world, channels: [.email])
            _ = try await app.send(
                .POST, "/api/v1/events", token: token, json: Self.email("m4", from: "ann@example.com"))
            #expect(try await Self.send(app) == 1)
            #expect(try server.received().count == 3)
        }
    }

    @Test func anIncidentOnTheOtherChannelsLeavesEmailAlone() async throws {
        let server = try SMTPServer(tls: false)
        defer { server.stop() }
        try await withApp(adjust: { $0.mail = Self.mail(server) }) { app in
            let world = try await World.make(on: app)
            let token = try await ContactEventTests.pbxToken(world, on: app)
            _ = try await Self.declare(app, world, channels: [.voice])
            _ = try await app.send(
                .POST, "/api/v1/events", token: token, json: Self.email("m1", from: "ann@example.com"))
            #expect(try await Self.send(app) == 0)
            #expect(try await OutgoingMessage.query(on: app.db).count() == 0)
        }
    }

    @Test func aRefusedSignInIsRecordedAndGivenUpOnNotRetriedForever() async throws {
        let server = try SMTPServer(tls: true, user: "daymaker", password: "s3cret")
        defer { server.stop() }
        try await withApp(adjust: { $0.mail = Self.mail(server, password: "wrong") }) { app in
            try await Self.annWritesDuringAnIncident(app)
            #expect(try await Self.send(app) == 0)
            let mail = try #require(try await OutgoingMessage.query(on: app.db).first())
            #expect(mail.attempts == 1 && mail.lastError?.contains("AUTH") == true, "\(mail.lastError ?? "")")
            // 535 is a refusal: given up on, not retried forever; the message and why stay in the outbox.
            #expect(mail.status == .failed, "\(mail.lastError ?? "")")
            #expect(try server.received().isEmpty)
        }
    }

    @Test func aServerThatIsDownGetsTheMessageWhenItIsBack() async throws {
        let first = try SMTPServer(tls: false)
        let port = first.port
        first.stop()
        let config = MailConfig(
            host: "127.0.0.1", port: port, security: .none, username: nil, password: nil,
            from: "noreply@ride.example", caFile: nil, heloName: "daymaker.test")
        try await withApp(adjust: { $0.mail = config }) { app in
            try await Self.annWritesDuringAnIncident(app)
            #expect(try await Self.send(app) == 0)
            let waiting = try #require(try await OutgoingMessage.query(on: app.db).first())
            #expect(waiting.status == .pending && waiting.attempts == 1)
            #expect(waiting.nextAttemptAt == app.clock.now.addingTimeInterval(60))

            let second = try SMTPServer(tls: false, port: port)
            defer { second.stop() }
            #expect(try await Self.send(app) == 0)  // not due yet
            app.manualClock.advance(by: 61)
            #expect(try await Self.send(app) == 1)
            #expect(try second.received().map(\.to) == [["ann@example.com"]])
        }
    }
}
