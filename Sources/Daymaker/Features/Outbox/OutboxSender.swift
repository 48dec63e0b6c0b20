import Synchronization
import Vapor

/// Works through the outbox every second while the server runs (see `Outbox`), and every five seconds notes and
/// decides the surveys due (see `Surveys`). Mail goes only with an SMTP server configured (it says so once when
/// there is none); text messages through the programs' SMS webhooks.
final class OutboxSender: LifecycleHandler, Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    func didBootAsync(_ app: Application) async throws {
        if app.config.mail == nil {
            app.logger.notice(
                "No SMTP server configured (DAYMAKER_SMTP_HOST): incident auto-replies and survey emails are not sent."
            )
        }
        let clock = app.clock
        let db = app.db
        let logger = app.logger
        let transports = Outbox.Transports(app)
        task.withLock {
            $0 = Task {
                var tick = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    guard app.running != nil else { continue }
                    tick += 1
                    // Surveys are noted and decided every few seconds: minutes of delay need no more.
                    if tick % 5 == 0 {
                        do {
                            try await Surveys.inviteDue(now: clock.now, mailConfigured: transports.mail != nil, on: db)
                        } catch {
                            logger.warning("Surveys not decided: \(String(reflecting: type(of: error)))")
                        }
                    }
                    do {
                        try await Outbox.sendDue(transports, now: clock.now, logger: logger, on: db)
                    } catch {
                        logger.warning("Outbox not read: \(String(reflecting: type(of: error)))")
                    }
                }
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
    }
}
