import Vapor

/// Runs `Router.tick` once a second while the server runs: offers time out, wrap-ups end and bounded waits give
/// way without anyone asking, on every instance that serves. Every ten seconds it logs how many contact events
/// were written in how many groups, and how long routing decisions took. Tests call `Router.tick` themselves, at the
/// instants they choose.
enum RoutingTicker {
    static func loop() -> BackgroundLoop {
        BackgroundLoop(every: .seconds(1)) { app, round in
            let events = app.events
            do {
                try await Router.tick(now: app.clock.now, events: events, on: app.db)
            } catch {
                app.logger.warning("Routing tick failed: \(String(reflecting: type(of: error)))")
            }
            guard round % 10 == 0 else { return }
            if let summary = await events.contactEvents.summary() {
                app.logger.notice("Events: \(summary.events) written in \(summary.groups) groups in 10 s")
            }
            if let summary = events.routingTimings.summary() { app.logger.notice("\(describe(summary))") }
        }
    }

    /// `Routing: 1834 offers in 10 s, decided in 1.21 ms (median) / 4.80 ms (p99), from the pass's first read in
    /// 2.02 ms / 6.10 ms`.
    static func describe(_ summary: RoutingTimings.Summary) -> String {
        func ms(_ d: Duration) -> String {
            let (seconds, attoseconds) = d.components
            return String(format: "%.2f ms", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
        }
        return
            "Routing: \(summary.count) offers in 10 s, decided in \(ms(summary.p50)) (median) / \(ms(summary.p99)) (p99), "
            + "from the pass's first read in \(ms(summary.passP50)) / \(ms(summary.passP99))"
    }
}
