import Foundation
import NIOCore
import NIOPosix
import Testing
import Vapor
import WebSocketKit

/// A live page's WebSocket as a signed-in browser opens it through a `LiveServer`, and the messages it received,
/// decoded as `Message`, in order.
final class LivePage<Message: Decodable & Sendable>: Sendable {
    let messages: AsyncStream<Message>
    let ws: WebSocket

    private init(messages: AsyncStream<Message>, ws: WebSocket) {
        self.messages = messages
        self.ws = ws
    }

    static func open(
        _ server: LiveServer, _ path: String, cookie: String, origin: String? = nil
    ) async throws -> LivePage {
        let (messages, sink) = AsyncStream<Message>.makeStream()
        var headers: HTTPHeaders = ["Cookie": cookie]
        if let origin { headers.add(name: .origin, value: origin) }
        let opened = AsyncStream<WebSocket>.makeStream()
        try await WebSocket.connect(
            to: server.base.replacingOccurrences(of: "http://", with: "ws://") + path, headers: headers,
            on: MultiThreadedEventLoopGroup.singleton
        ) { ws in
            ws.onText { _, text in
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                if let message = try? decoder.decode(Message.self, from: Data(text.utf8)) { sink.yield(message) }
            }
            opened.continuation.yield(ws)
        }
        var iterator = opened.stream.makeAsyncIterator()
        return LivePage(messages: messages, ws: try #require(await iterator.next()))
    }

    /// The next message that satisfies `condition` (those before it are skipped).
    func next(where condition: (Message) -> Bool = { _ in true }) async -> Message? {
        for await message in messages where condition(message) { return message }
        return nil
    }
}
