import DaymakerCore
import Fluent
import Vapor

/// Where a program's text messages go: an SMS provider's (or a gateway's) webhook, which Daymaker posts each survey
/// invitation to, signed with the program's secret (see ``WebhookSignature``). The secret is stored sealed
/// (``SecretBox``), never shown back and never logged.
final class SMSWebhook: ProgramConnection, @unchecked Sendable {
    static let schema = "sms_webhooks"
    static let auditName = "sms-webhook"
    static let title = "The SMS webhook"

    @ID(key: .id) var id: UUID?
    @Parent(key: "program_id") var program: Program
    @Field(key: "url") var url: String
    @Field(key: "secret_sealed") var secretSealed: String
    @OptionalField(key: "updated_by_id") var updatedByID: UUID?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// What an admin sends to connect a program to its SMS provider.
struct SMSWebhookUpdate: Codable, Sendable {
    var url: String
    var secret: String

    /// An http(s) address: a host name (no credentials), a port, a path and query of the characters a URI allows
    /// unescaped (no percent-escapes, no fragment).
    nonisolated(unsafe) static let address = try! Regex(
        #"[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?"#)

    /// An http(s) address without credentials in it; a secret of 16 to 200 printable characters without spaces.
    func validated() throws(ValidationFailure) -> SMSWebhookUpdate {
        var v = FieldValidator()
        v.check(
            url.count <= 2000 && url.wholeMatch(of: Self.address) != nil, "url",
            "is not an http(s) address such as https://sms.example.com/daymaker (no credentials in it)")
        v.check(
            (16...200).contains(secret.count) && secret.unicodeScalars.allSatisfy({ (33...126).contains($0.value) }),
            "secret", "must be 16 to 200 characters without spaces (the receiver checks signatures with it)")
        try v.finish()
        return self
    }
}

/// A program's SMS webhook as the API shows it: never the secret.
struct SMSWebhookView: Content {
    var url: String
    /// False when the saved secret cannot be opened with this server's `DAYMAKER_SESSION_SECRET` (it changed): save
    /// it again; until then no text message is sent.
    var secretUsable: Bool
    var updatedAt: Date

    init(_ webhook: SMSWebhook, app: Application) {
        url = webhook.url
        secretUsable = app.secretBox.open(webhook.secretSealed) != nil
        updatedAt = webhook.updatedAt
    }
}

/// `GET`/`PUT`/`DELETE /api/v1/programs/{id}/sms-webhook`: connects a program to its SMS provider (admins). The
/// secret goes in and never comes back out.
struct SMSWebhookController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("programs", ":programID", "sms-webhook", use: show)
        routes.put("programs", ":programID", "sms-webhook", use: save)
        routes.delete("programs", ":programID", "sms-webhook", use: remove)
    }

    @Sendable func show(req: Request) async throws -> SMSWebhookView {
        let (program, _) = try await ProgramController.administeredProgram(req)
        guard let webhook = try await SMSWebhook.find(programID: try program.requireID(), on: req.db) else {
            throw NotFound("The SMS webhook of program \(program.code)")
        }
        return SMSWebhookView(webhook, app: req.application)
    }

    @Sendable func save(req: Request) async throws -> SMSWebhookView {
        let (program, principal) = try await ProgramController.administeredProgram(req)
        let update = try req.decodeStrict(SMSWebhookUpdate.self).validated()
        let webhook = try await SMSWebhooks.save(
            update, programID: try program.requireID(), actor: principal.userID,
            sealedWith: req.application.secretBox, now: req.now, on: req.db)
        return SMSWebhookView(webhook, app: req.application)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        let (program, principal) = try await ProgramController.administeredProgram(req)
        try await SMSWebhook.remove(
            programID: try program.requireID(), actor: principal.userID, now: req.now, on: req.db)
        return .noContent
    }
}

/// Storing and reading programs' SMS webhooks.
enum SMSWebhooks {
    /// The programs that can send text messages.
    static func programs(on db: any Database) async throws -> Set<UUID> {
        Set(try await SMSWebhook.query(on: db).all(\.$program.$id))
    }

    /// Creates or replaces the program's webhook; audited without the secret.
    static func save(
        _ update: SMSWebhookUpdate, programID: UUID, actor: UUID, sealedWith box: SecretBox, now: Date,
        on db: any Database
    ) async throws -> SMSWebhook {
        let sealed = try box.seal(update.secret)
        return try await db.writeTransaction { db in
            let webhook = try await SMSWebhook.find(programID: programID, on: db) ?? SMSWebhook()
            webhook.$program.id = programID
            webhook.url = update.url
            webhook.secretSealed = sealed
            webhook.updatedByID = actor
            webhook.updatedAt = now
            try await webhook.save(on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: actor, action: "sms-webhook.saved", recordType: "program",
                recordID: programID, programID: programID)
            return webhook
        }
    }
}
