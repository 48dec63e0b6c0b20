import DaymakerCore
import NIOConcurrencyHelpers
import Vapor

/// A page kept live over a WebSocket: the whole view is sent on connect and after each relevant change, at most
/// twice a second however busy the center is (and every 30 seconds regardless, so a day that turns over shows);
/// the page sends `sync` to ask for it again.
enum LiveSocket {
    static func serve(
        _ ws: WebSocket, app: Application, relevant: @escaping @Sendable (DomainEvent) -> Bool,
        view: @escaping @Sendable () async throws -> any Encodable
    ) {
        let stream = app.events.hub.events()
        let changed = NIOLockedValueBox(true)
        let watcher = Task {
            for await event in stream where relevant(event) || event == .feedInterrupted {
                changed.withLockedValue { $0 = true }
            }
        }
        let sender = Task {
            var quiet = 0
            while !Task.isCancelled {
                quiet += 1
                if changed.withLockedValue({ value in
                    defer { value = false }
                    return value
                }) || quiet >= 60 {
                    quiet = 0
                    do {
                        try await ws.send(
                            String(decoding: try JSONEncoder.daymaker.encode(try await view()), as: UTF8.self))
                    } catch {
                        app.logger.warning("Live page not sent: \(LogSafe.describe(error))")
                    }
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        // The async form: it moves onto the socket's event loop, which the plain one requires of its caller.
        ws.onText { _, text async in
            if text == "sync" { changed.withLockedValue { $0 = true } }
        }
        ws.onClose.whenComplete { _ in
            watcher.cancel()
            sender.cancel()
        }
    }
}
