import DaymakerCore
import NIOConcurrencyHelpers
import Vapor

/// A page kept live over a WebSocket: the whole view is sent on connect and after each relevant change, at most
/// twice a second however busy the center is (and every 30 seconds regardless, so a day that turns over shows);
/// the page sends `sync` to ask for it again.
///
/// Sockets that see the same view (everyone watching one campaign's progress) join one `shared` channel: its view
/// is worked out once and sent to all of them, so fifty reps watching do not read the campaign fifty times.
enum LiveSocket {
    static func serve(
        _ ws: WebSocket, app: Application, shared: String? = nil,
        relevant: @escaping @Sendable (DomainEvent) -> Bool,
        view: @escaping @Sendable () async throws -> any Encodable
    ) {
        app.events.liveChannels.join(
            shared ?? UUID().uuidString, ws, app: app, relevant: relevant, view: view)
    }
}

/// The open channels of live pages, by name; a channel closes with its last socket.
final class LiveChannels: Sendable {
    private final class Channel: Sendable {
        let sockets = NIOLockedValueBox<[WebSocket]>([])
        let changed = NIOLockedValueBox(true)
        let loops = NIOLockedValueBox<[Task<Void, Never>]>([])
    }

    private let channels = NIOLockedValueBox<[String: Channel]>([:])

    /// How many channels are open.
    var open: Int { channels.withLockedValue { $0.count } }

    func join(
        _ name: String, _ ws: WebSocket, app: Application, relevant: @escaping @Sendable (DomainEvent) -> Bool,
        view: @escaping @Sendable () async throws -> any Encodable
    ) {
        let (channel, opened) = channels.withLockedValue { channels in
            let channel = channels[name] ?? Channel()
            let opened = channels[name] == nil
            channels[name] = channel
            channel.sockets.withLockedValue { $0.append(ws) }
            // The newcomer needs the view (the others get it again, unchanged).
            channel.changed.withLockedValue { $0 = true }
            return (channel, opened)
        }
        if opened { channel.loops.withLockedValue { $0 = Self.loops(channel, app: app, relevant, view) } }
        // The async form: it moves onto the socket's event loop, which the plain one requires of its caller.
        ws.onText { _, text async in
            if text == "sync" { channel.changed.withLockedValue { $0 = true } }
        }
        ws.onClose.whenComplete { _ in
            self.channels.withLockedValue { channels in
                let left = channel.sockets.withLockedValue { sockets in
                    sockets.removeAll { $0 === ws }
                    return sockets.count
                }
                guard left == 0, channels[name] === channel else { return }
                channels[name] = nil
                for loop in channel.loops.withLockedValue({ $0 }) { loop.cancel() }
            }
        }
    }

    /// The channel's watcher (marks it changed) and sender (sends the view when it is).
    private static func loops(
        _ channel: Channel, app: Application, _ relevant: @escaping @Sendable (DomainEvent) -> Bool,
        _ view: @escaping @Sendable () async throws -> any Encodable
    ) -> [Task<Void, Never>] {
        let stream = app.events.hub.events()
        let watcher = Task {
            for await event in stream where relevant(event) || event == .feedInterrupted {
                channel.changed.withLockedValue { $0 = true }
            }
        }
        let sender = Task {
            var quiet = 0
            while !Task.isCancelled {
                quiet += 1
                if channel.changed.withLockedValue({ value in
                    defer { value = false }
                    return value
                }) || quiet >= 60 {
                    quiet = 0
                    do {
                        let text = String(decoding: try JSONEncoder.daymaker.encode(try await view()), as: UTF8.self)
                        for ws in channel.sockets.withLockedValue({ $0 }) { try? await ws.send(text) }
                    } catch {
                        app.logger.warning("Live page not sent: \(LogSafe.describe(error))")
                    }
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        return [watcher, sender]
    }
}
