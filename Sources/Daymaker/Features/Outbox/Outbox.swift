import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The outbox: incident auto-replies are queued with the contacts they answer, survey invitations (by email or
/// text message) when a contact's survey is decided (see `Surveys`), and sent by `sendDue` (every second while the
/// server runs, see `OutboxSender`). A message is sent at most once per address and incident; a server that answers
/// "try later" (or cannot be reached) is tried again with growing pauses, six times in all; one that refuses it for
/// good marks it failed. Addresses and phone numbers are never logged.
enum Outbox {
    static let maxAttempts = 6
    /// While one instance tries a message, others leave it alone this long.
    static let lease: TimeInterval = 300

    /// Queues the auto-reply of the active incident on email of each program for each address (an email contact
    /// that arrived), at most once per address and incident. Nothing is queued without an SMTP server configured.
    static func queueAutoReplies(
        _ arrivals: [(program: UUID, address: String)], configured: Bool, now: Date, on db: any Database
    ) async throws {
        guard configured, !arrivals.isEmpty else { return }
        var incidents: [UUID: Incident?] = [:]
        var rows: [[any Encodable & Sendable]] = []
        for (program, address) in arrivals {
            if incidents[program] == nil {
                incidents[program] = .some(try await Incidents.current(program: program, channel: .email, on: db))
            }
            guard let incident = incidents[program] ?? nil, let reply = incident.emailReply, let id = incident.id
            else { continue }
            rows.append([
                UUID(timeOrderedAt: now), program, id, address, incident.title, reply,
                OutgoingMessage.Status.pending.rawValue,
                0, now, now,
            ])
        }
        guard !rows.isEmpty else { return }
        let queued = rows
        try await db.writeTransaction { db in
            var insert = try db.sqlDatabase.insert(into: OutgoingMessage.schema).columns(
                "id", "program_id", "incident_id", "to_address", "subject", "body", "status", "attempts",
                "next_attempt_at", "created_at")
            for row in queued { insert = insert.values(row) }
            try await insert.ignoringConflicts(with: ["incident_id", "to_address"]).run()
        }
    }

    /// How the outbox reaches people: the SMTP server (when one is configured) and programs' SMS webhooks.
    struct Transports: Sendable {
        var mail: MailConfig?
        var publicURL: URL
        var group: any EventLoopGroup
        var client: any Client
        /// `DAYMAKER_SESSION_SECRET`, which opens the SMS webhooks' sealed secrets.
        var sessionSecret: String

        /// The application's.
        init(_ app: Application) {
            mail = app.config.mail
            publicURL = app.config.publicURL
            group = app.eventLoopGroup
            client = app.client
            sessionSecret = app.config.sessionSecret
        }
    }

    /// Sends what is due; returns how many were sent.
    @discardableResult
    static func sendDue(_ transports: Transports, now: Date, logger: Logger, on db: any Database) async throws -> Int {
        let channels: [OutgoingMessage.Channel] = transports.mail == nil ? [.sms] : [.email, .sms]
        let claimed = try await claim(channels, now: now, on: db)
        guard !claimed.isEmpty else { return 0 }
        let programIDs = Set(claimed.map(\.programID))
        let programs = Dictionary(
            try await Program.query(on: db).filter(\.$id ~~ programIDs).all().map { ($0.id!, $0) },
            uniquingKeysWith: { first, _ in first })
        let webhooks = Dictionary(
            try await SMSWebhook.query(on: db).filter(\.$program.$id ~~ programIDs).all().map { ($0.$program.id, $0) },
            uniquingKeysWith: { first, _ in first })
        var sent = 0
        for message in claimed {
            var body = message.body
            if let survey = message.surveyID {
                // The link is made now and only its hash kept: a retry makes a new one (the old was never sent).
                let token = SecureToken.random()
                try await db.sqlDatabase.update(Survey.schema).set("token_hash", to: SecureToken.hash(token))
                    .set("sent_at", to: now).where("id", .equal, survey).run()
                body = body.replacingOccurrences(
                    of: Surveys.linkPlaceholder,
                    with: transports.publicURL.appendingPathComponent("s/\(token)").absoluteString)
            }
            message.attempts += 1
            do {
                switch message.channel {
                case .email:
                    guard let config = transports.mail else { throw DeliveryError.notConfigured }
                    try await email(
                        message, body: body, program: programs[message.programID], config: config,
                        group: transports.group, now: now)
                case .sms:
                    guard let webhook = webhooks[message.programID],
                        let secret = SecretBox(secret: transports.sessionSecret).open(webhook.secretSealed)
                    else { throw DeliveryError.notConfigured }
                    try await text(
                        message, body: body, program: programs[message.programID], webhook: webhook,
                        secret: secret, client: transports.client, now: now)
                }
                message.status = .sent
                message.sentAt = now
                message.lastError = nil
                sent += 1
            } catch {
                message.lastError = kind(of: error)
                if isPermanent(error) || message.attempts >= maxAttempts {
                    message.status = .failed
                } else {
                    message.nextAttemptAt = now.addingTimeInterval(60 * pow(3, Double(message.attempts - 1)))
                }
                logger.warning(
                    "\(message.channel == .sms ? "Text message" : "Mail") \(message.id?.lowercaseText ?? "") not sent (attempt \(message.attempts)): \(kind(of: error))"
                )
            }
            try await message.save(on: db)
        }
        return sent
    }

    /// Why a message did not go, beside the SMTP server's own answers.
    enum DeliveryError: Error {
        /// The SMTP server or the program's SMS webhook is not configured (or its secret cannot be opened): it may
        /// be by the next try.
        case notConfigured
        /// The SMS webhook answered with this HTTP status.
        case webhook(UInt)
    }

    private static func email(
        _ message: OutgoingMessage, body: String, program: Program?, config: MailConfig, group: any EventLoopGroup,
        now: Date
    ) async throws {
        let domain = config.from.split(separator: "@").last.map(String.init) ?? "daymaker"
        let mail = MailMessage(
            fromName: program?.name ?? "Daymaker", fromAddress: config.from, to: message.toAddress,
            subject: message.subject, body: body, date: now,
            messageID: "\(try message.requireID().lowercaseText)@\(domain)", autoReply: message.surveyID == nil)
        try await SMTPClient(config: config, group: group).send(
            from: config.from, to: message.toAddress, message: mail.text)
    }

    /// What a program's SMS webhook receives: JSON, signed (`X-Daymaker-Timestamp`, `X-Daymaker-Signature`, see
    /// ``WebhookSignature``), with the message's id in `X-Daymaker-Delivery` so a receiver can drop a retry it
    /// already took.
    struct TextMessage: Content {
        var type = "survey.invitation"
        var id: String
        var program: String
        var to: String
        var text: String
    }

    private static func text(
        _ message: OutgoingMessage, body: String, program: Program?, webhook: SMSWebhook, secret: String,
        client: any Client, now: Date
    ) async throws {
        let id = try message.requireID().lowercaseText
        let payload = try JSONEncoder().encode(
            TextMessage(id: id, program: program?.code ?? "", to: message.toAddress, text: body))
        let timestamp = Int(now.timeIntervalSince1970)
        var request = ClientRequest(method: .POST, url: URI(string: webhook.url), timeout: .seconds(10))
        request.headers.contentType = .json
        request.headers.replaceOrAdd(name: .userAgent, value: "Daymaker")
        request.headers.replaceOrAdd(name: "X-Daymaker-Delivery", value: id)
        request.headers.replaceOrAdd(name: "X-Daymaker-Timestamp", value: String(timestamp))
        request.headers.replaceOrAdd(
            name: "X-Daymaker-Signature",
            value: WebhookSignature.sign(body: payload, timestamp: timestamp, secret: secret))
        request.body = ByteBuffer(data: payload)
        let response = try await client.send(request)
        guard (200..<300).contains(response.status.code) else { throw DeliveryError.webhook(response.status.code) }
    }

    /// A refusal for good: an SMTP server's 5xx, a webhook's 4xx other than "try later" (408, 425, 429). Anything
    /// else (a 4xx from SMTP, a webhook's 5xx, no answer, nothing configured) is tried again.
    static func isPermanent(_ error: any Error) -> Bool {
        switch error {
        case let smtp as SMTPClient.SMTPError: smtp.code >= 500
        case DeliveryError.webhook(let status): (400..<500).contains(status) && ![408, 425, 429].contains(status)
        default: false
        }
    }

    /// What went wrong, without the server's text (which may quote the address).
    static func kind(of error: any Error) -> String {
        switch error {
        case let smtp as SMTPClient.SMTPError: "SMTP \(smtp.step) answered \(smtp.code)"
        case DeliveryError.webhook(let status): "the SMS webhook answered \(status)"
        case DeliveryError.notConfigured: "not configured"
        default: String(reflecting: type(of: error))
        }
    }

    /// Takes up to 20 due messages for this instance: held for `lease` so no other instance sends them too
    /// (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one writer).
    private static func claim(
        _ channels: [OutgoingMessage.Channel], now: Date, on db: any Database
    ) async throws -> [OutgoingMessage] {
        try await db.writeTransaction { db in
            let sql = try db.sqlDatabase
            let locking: SQLQueryString = sql.isPostgreSQL ? " FOR UPDATE SKIP LOCKED" : ""
            let ids = try await sql.raw(
                """
                SELECT id FROM outgoing_mail WHERE status = 'pending' AND next_attempt_at <= \(bind: now)
                AND channel IN (\(binds: channels.map(\.rawValue)))
                ORDER BY next_attempt_at LIMIT 20\(locking)
                """
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !ids.isEmpty else { return [] }
            try await sql.update(OutgoingMessage.schema).set("next_attempt_at", to: now.addingTimeInterval(lease))
                .where("id", .in, ids).run()
            return try await OutgoingMessage.query(on: db).filter(\.$id ~~ ids).all()
        }
    }
}
