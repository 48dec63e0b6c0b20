import Vapor

/// Works through the outbox every second while the server runs (see `Outbox`), and every five seconds notes and
/// decides the surveys due (see `Surveys`). Mail goes only with an SMTP server configured (it says so once when
/// there is none); text messages through the programs' SMS webhooks.
enum OutboxSender {
    static func loop(_ app: Application) -> BackgroundLoop {
        let transports = Outbox.Transports(app)
        return BackgroundLoop(every: .seconds(1)) { app, round in
            if round == 1, transports.mail == nil {
                app.logger.notice(
                    "No SMTP server configured (DAYMAKER_SMTP_HOST): incident auto-replies and survey emails are not sent."
                )
            }
            // Surveys are noted and decided every few seconds: minutes of delay need no more.
            if round % 5 == 0 {
                do {
                    try await Surveys.inviteDue(now: app.clock.now, mailConfigured: transports.mail != nil, on: app.db)
                } catch {
                    app.logger.warning("Surveys not decided: \(String(reflecting: type(of: error)))")
                }
            }
            do {
                try await Outbox.sendDue(transports, now: app.clock.now, logger: app.logger, on: app.db)
            } catch {
                app.logger.warning("Outbox not read: \(String(reflecting: type(of: error)))")
            }
        }
    }
}
