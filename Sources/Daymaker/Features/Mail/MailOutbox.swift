import DaymakerCore
import Fluent
import Foundation
import Logging
import NIOCore
import SQLKit

/// The outbox: incident auto-replies are queued with the contacts they answer, survey invitations when a contact's
/// survey is decided (see `Surveys`), and sent by `sendDue` (every
/// second while the server runs, see `MailSender`). A message is sent at most once per address and incident; a
/// server that answers "try later" (or cannot be reached) is tried again with growing pauses, six times in all;
/// one that refuses it for good marks it failed. Addresses are never logged.
enum MailOutbox {
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
                OutgoingMail.Status.pending.rawValue,
                0, now, now,
            ])
        }
        guard !rows.isEmpty else { return }
        let queued = rows
        try await db.writeTransaction { db in
            var insert = try db.sqlDatabase.insert(into: OutgoingMail.schema).columns(
                "id", "program_id", "incident_id", "to_address", "subject", "body", "status", "attempts",
                "next_attempt_at", "created_at")
            for row in queued { insert = insert.values(row) }
            try await insert.ignoringConflicts(with: ["incident_id", "to_address"]).run()
        }
    }

    /// Sends what is due; returns how many were sent.
    @discardableResult
    static func sendDue(
        config: MailConfig, publicURL: URL, group: any EventLoopGroup, now: Date, logger: Logger,
        on db: any Database
    ) async throws -> Int {
        let claimed = try await claim(now: now, on: db)
        guard !claimed.isEmpty else { return 0 }
        let client = SMTPClient(config: config, group: group)
        let programs = Dictionary(
            try await Program.query(on: db).filter(\.$id ~~ Set(claimed.map(\.programID))).all().map { ($0.id!, $0) },
            uniquingKeysWith: { first, _ in first })
        let domain = config.from.split(separator: "@").last.map(String.init) ?? "daymaker"
        var sent = 0
        for mail in claimed {
            var body = mail.body
            if let survey = mail.surveyID {
                // The link is made now and only its hash kept: a retry makes a new one (the old was never sent).
                let token = SecureToken.random()
                try await db.sqlDatabase.update(Survey.schema).set("token_hash", to: SecureToken.hash(token))
                    .set("sent_at", to: now).where("id", .equal, survey).run()
                body = body.replacingOccurrences(
                    of: Surveys.linkPlaceholder, with: publicURL.appendingPathComponent("s/\(token)").absoluteString)
            }
            let message = MailMessage(
                fromName: programs[mail.programID]?.name ?? "Daymaker", fromAddress: config.from, to: mail.toAddress,
                subject: mail.subject, body: body, date: now,
                messageID: "\(try mail.requireID().lowercaseText)@\(domain)", autoReply: mail.surveyID == nil)
            mail.attempts += 1
            do {
                try await client.send(from: config.from, to: mail.toAddress, message: message.text)
                mail.status = .sent
                mail.sentAt = now
                mail.lastError = nil
                sent += 1
            } catch {
                // 5xx: the server refuses the message for good; anything else (4xx, no answer) is tried again.
                let permanent = (error as? SMTPClient.SMTPError).map { $0.code >= 500 } ?? false
                mail.lastError = String(describing: error).prefix(500).description
                if permanent || mail.attempts >= maxAttempts {
                    mail.status = .failed
                } else {
                    mail.nextAttemptAt = now.addingTimeInterval(60 * pow(3, Double(mail.attempts - 1)))
                }
                logger.warning(
                    "Mail \(mail.id?.lowercaseText ?? "") not sent (attempt \(mail.attempts)): \(Self.kind(of: error))")
            }
            try await mail.save(on: db)
        }
        return sent
    }

    /// What went wrong, without the server's text (which may quote the address).
    static func kind(of error: any Error) -> String {
        if let smtp = error as? SMTPClient.SMTPError { return "SMTP \(smtp.step) answered \(smtp.code)" }
        return String(reflecting: type(of: error))
    }

    /// Takes up to 20 due messages for this instance: held for `lease` so no other instance sends them too
    /// (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one writer).
    private static func claim(now: Date, on db: any Database) async throws -> [OutgoingMail] {
        try await db.writeTransaction { db in
            let sql = try db.sqlDatabase
            let locking: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            let ids = try await sql.raw(
                """
                SELECT id FROM outgoing_mail WHERE status = 'pending' AND next_attempt_at <= \(bind: now)
                ORDER BY next_attempt_at LIMIT 20\(locking)
                """
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !ids.isEmpty else { return [] }
            try await sql.update(OutgoingMail.schema).set("next_attempt_at", to: now.addingTimeInterval(lease))
                .where("id", .in, ids).run()
            return try await OutgoingMail.query(on: db).filter(\.$id ~~ ids).all()
        }
    }
}
