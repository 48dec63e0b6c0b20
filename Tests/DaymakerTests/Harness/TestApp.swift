import FluentKit
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// Makes an application on its own database, configures and migrates it, runs `body`, and cleans up.
///
/// SQLite by default (a fresh file per test). With `DAYMAKER_TEST_DATABASE_URL` set, each test gets its own
/// PostgreSQL schema on that server instead, dropped afterwards; `postgresURL` picks a PostgreSQL server by another
/// URL (the same server over its Unix socket).
/// `adjust` changes the configuration before the app is configured (an https public URL, trusted proxies).
func withApp(
    postgresURL: String? = nil, adjust: (inout AppConfig) -> Void = { _ in }, _ body: (Application) async throws -> Void
) async throws {
    await TestAppGate.shared.acquire()
    defer { Task { await TestAppGate.shared.release() } }
    let app = try await Application.make(.testing)
    let environment = ProcessInfo.processInfo.environment
    var cleanup: @Sendable (Application) async throws -> Void = { _ in }
    do {
        var config = try AppConfig(environment: [
            "DAYMAKER_SESSION_SECRET": "test-secret-test-secret-test-secret-42"
        ])
        adjust(&config)
        app.clock = ManualClock(World.now)
        if let url = postgresURL ?? environment["DAYMAKER_TEST_DATABASE_URL"], !url.isEmpty {
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            config.database = .postgres(url: url, poolSize: 2, schema: schema)
            try await configure(app, config: config)
            try await app.db.sqlDatabase.raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
            cleanup = { app in try await app.db.sqlDatabase.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run() }
        } else {
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("daymaker-test-\(UUID().uuidString).sqlite").path
            config.database = .sqlite(path: path)
            try await configure(app, config: config)
            cleanup = { _ in
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        app.passwordCost = 4
        app.logger.logLevel = .warning
        try await app.autoMigrate()
        try await body(app)
        try await cleanup(app)
        try await app.asyncShutdown()
    } catch {
        try? await cleanup(app)
        try? await app.asyncShutdown()
        throw error
    }
}

/// Bounds how many test apps (and so database connections) exist at once; Swift Testing runs tests in parallel.
actor TestAppGate {
    static let shared = TestAppGate(slots: 8)

    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(slots: Int) { available = slots }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// True when the suite runs against PostgreSQL.
var testingOnPostgres: Bool {
    !(ProcessInfo.processInfo.environment["DAYMAKER_TEST_DATABASE_URL"] ?? "").isEmpty
}

extension Application {
    /// Sends one request through the whole middleware stack and returns the response.
    func send(
        _ method: HTTPMethod, _ path: String, token: String? = nil, json: String? = nil,
        headers extra: HTTPHeaders = [:]
    ) async throws -> TestingHTTPResponse {
        var headers = extra
        if let token { headers.bearerAuthorization = .init(token: token) }
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            body = ByteBuffer(string: json)
        }
        let response = try await testing().sendRequest(method, path, headers: headers, body: body)
        // Every API answer a test receives is held to its schema in openapi.json.
        if path.hasPrefix("/api/v1/"), !path.hasPrefix("/api/v1/openapi.json") {
            for problem in SchemaConformance.problems(
                method: method, path: path, status: response.status, contentType: response.headers.contentType,
                body: response.body)
            {
                Issue.record("Response does not match openapi.json: \(problem)")
            }
            // A new record's Location is a path of this API, its id in lower case like every id that goes out.
            if response.status == .created {
                let location = response.headers.first(name: .location) ?? ""
                if !location.hasPrefix("/api/v1/") || location != location.lowercased() {
                    Issue.record("201 with Location '\(location)': expected an /api/v1/ path with lower-case ids")
                }
            }
        }
        return response
    }
}

extension Application {
    /// POSTs a new record, expects 201 Created, and returns the answer decoded.
    func created<T: Decodable>(
        _ type: T.Type, _ path: String, token: String, json: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> T {
        let reply = try await send(.POST, path, token: token, json: json)
        #expect(reply.status == .created, "\(reply.body.string)", sourceLocation: sourceLocation)
        return try reply.json(T.self)
    }
}

extension TestingHTTPResponse {
    /// The body decoded as JSON with Daymaker's conventions.
    func json<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(buffer: body))
    }

    /// The body as a problem document, checking the media type.
    func problem() throws -> Problem {
        #expect(headers.contentType?.serialize() == "application/problem+json; charset=utf-8")
        return try json(Problem.self)
    }
}
