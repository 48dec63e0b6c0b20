import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// One HTTP answer, whichever way the request travelled.
struct HTTPReply: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer
}

/// Something a test can send requests through: the app in memory, or its real HTTP server.
protocol HTTPTransport: Sendable {
    func exchange(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?
    ) async throws -> HTTPReply
}

extension Application: HTTPTransport {
    func exchange(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?
    ) async throws -> HTTPReply {
        let response = try await testing().sendRequest(method, path, headers: headers, body: body)
        return HTTPReply(status: response.status, headers: response.headers, body: response.body)
    }
}

/// The app's real HTTP server on 127.0.0.1 (any free port) and a client that may hold many connections at once:
/// how tests show promises about concurrency ("never twice", "nothing lost") with real parallel requests.
struct LiveServer: HTTPTransport {
    let base: String
    let client: HTTPClient

    /// Starts the server, runs `body`, and stops both.
    static func run(_ app: Application, _ body: (LiveServer) async throws -> Void) async throws {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 128)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let port = try #require(app.http.server.shared.localAddress?.port)
            try await body(LiveServer(base: "http://127.0.0.1:\(port)", client: client))
        } catch {
            try? await client.shutdown()
            await app.server.shutdown()
            throw error
        }
        try await client.shutdown()
        await app.server.shutdown()
    }

    func exchange(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?
    ) async throws -> HTTPReply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(body) }
        let response = try await client.execute(request, timeout: .seconds(60))
        return HTTPReply(
            status: response.status, headers: response.headers, body: try await response.body.collect(upTo: 8 << 20))
    }

    /// Sends `count` requests at once (made by `request(index)`) and returns the replies in index order.
    func concurrently(
        _ count: Int, _ request: @escaping @Sendable (Int) async throws -> HTTPReply
    ) async throws -> [HTTPReply] {
        try await withThrowingTaskGroup(of: (Int, HTTPReply).self) { group in
            for index in 0..<count { group.addTask { (index, try await request(index)) } }
            var replies = [HTTPReply?](repeating: nil, count: count)
            for try await (index, reply) in group { replies[index] = reply }
            return replies.compactMap { $0 }
        }
    }
}
