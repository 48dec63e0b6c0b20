import DaymakerCore
import Fluent
import Vapor

/// `GET`/`PUT`/`DELETE /api/v1/programs/{id}/twilio`: connects a program to its Twilio account (admins). The auth
/// token goes in and never comes back out; the answer shows the webhook addresses to enter in the Twilio console.
struct TwilioAccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("programs", ":programID", "twilio", use: show)
        routes.put("programs", ":programID", "twilio", use: save)
        routes.delete("programs", ":programID", "twilio", use: remove)
    }

    @Sendable func show(req: Request) async throws -> TwilioAccountView {
        let (program, _) = try await ProgramController.administeredProgram(req)
        guard let account = try await TwilioAccount.find(programID: try program.requireID(), on: req.db) else {
            throw NotFound("The Twilio account of program \(program.code)")
        }
        return TwilioAccountView(account, program: program, app: req.application)
    }

    @Sendable func save(req: Request) async throws -> TwilioAccountView {
        let (program, principal) = try await ProgramController.administeredProgram(req)
        let update = try req.decodeStrict(TwilioAccountUpdate.self).validated()
        let account = try await TwilioAccounts.save(
            update, program: program, actor: principal.userID, sealedWith: req.application.secretBox, now: req.now,
            on: req.db)
        return TwilioAccountView(account, program: program, app: req.application)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        let (program, principal) = try await ProgramController.administeredProgram(req)
        try await TwilioAccount.remove(
            programID: try program.requireID(), actor: principal.userID, now: req.now, on: req.db)
        return .noContent
    }
}

/// A program's Twilio connection as the API shows it: never the token itself.
struct TwilioAccountView: Content {
    var accountSid: String
    /// False when the saved token cannot be opened with this server's `DAYMAKER_SESSION_SECRET` (it changed): save
    /// the token again; until then Twilio's requests are refused.
    var authTokenUsable: Bool
    /// Enter in the Twilio console as the number's "A call comes in" webhook (HTTP POST).
    var voiceUrl: String
    /// Enter as the number's "Call status changes" webhook (HTTP POST).
    var statusUrl: String
    var updatedAt: Date

    init(_ account: TwilioAccount, program: Program, app: Application) {
        accountSid = account.accountSID
        authTokenUsable = app.secretBox.open(account.authTokenSealed) != nil
        voiceUrl = TwilioCall.url(.voice, program: program.code, base: app.config.publicURL)
        statusUrl = TwilioCall.url(.status, program: program.code, base: app.config.publicURL)
        updatedAt = account.updatedAt
    }
}

/// Storing and reading programs' Twilio accounts.
enum TwilioAccounts {
    /// Creates or replaces the program's account; audited without the token.
    static func save(
        _ update: TwilioAccountUpdate, program: Program, actor: UUID, sealedWith box: SecretBox, now: Date,
        on db: any Database
    ) async throws -> TwilioAccount {
        let programID = try program.requireID()
        let sealed = try box.seal(update.authToken)
        return try await db.writeTransaction { db in
            let account = try await TwilioAccount.find(programID: programID, on: db) ?? TwilioAccount()
            account.$program.id = programID
            account.accountSID = update.accountSid
            account.authTokenSealed = sealed
            account.updatedByID = actor
            account.updatedAt = now
            try await account.save(on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: actor, action: "twilio.saved", recordType: "program", recordID: programID,
                programID: programID, detail: "account \(update.accountSid)")
            return account
        }
    }
}
