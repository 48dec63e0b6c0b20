import DaymakerCore
import Fluent
import Vapor

/// The public status page: `/status` (no sign-in, no JavaScript needed, no cookies), `/status.json` and
/// `/status.atom` for monitoring tools and feed readers. `?program=CODE` narrows each to one program, which then
/// shows even when all is well (a program's own site links there).
struct StatusController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("status", use: page)
        routes.get("status.json", use: json)
        routes.get("status.atom", use: atom)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let status = try await Self.status(req)
        let response = try await req.page(
            "status/status", title: status.disrupted ? "Service disruption" : "Service status", status)
        Self.mayCache(response)
        return response
    }

    @Sendable func json(req: Request) async throws -> Response {
        let response = Response(
            status: .ok, body: .init(data: try JSONEncoder.daymaker.encode(try await Self.status(req))))
        response.headers.contentType = .json
        Self.mayCache(response)
        return response
    }

    @Sendable func atom(req: Request) async throws -> Response {
        let status = try await Self.status(req)
        var base = req.application.config.publicURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let response = Response(status: .ok, body: .init(string: StatusFeed.atom(status, base: base)))
        response.headers.contentType = HTTPMediaType(
            type: "application", subType: "atom+xml", parameters: ["charset": "utf-8"])
        Self.mayCache(response)
        return response
    }

    private static func status(_ req: Request) async throws -> ServiceStatus {
        var program: Program?
        if let code = req.query[String.self, at: "program"]?.nilIfBlank {
            guard let found = try await Program.find(code: code, on: req.db) else {
                throw NotFound("Program '\(code)'")
            }
            program = found
        }
        return try await ServiceStatus.load(program: program, now: req.now, on: req.db)
    }

    /// Public and the same for everyone: proxies and browsers may keep it a few seconds (an outage brings every
    /// customer to it at once).
    private static func mayCache(_ response: Response) {
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=15")
    }
}

/// The status as an Atom feed (RFC 4287): one entry per incident update, newest first.
enum StatusFeed {
    static func atom(_ status: ServiceStatus, base: String) -> String {
        var entries: [(at: Date, xml: String)] = []
        for program in status.programs {
            for incident in program.incidents {
                for update in incident.updates {
                    let title = "\(program.name): \(incident.title)" + (update.kind == "resolved" ? " (resolved)" : "")
                    entries.append(
                        (
                            update.at,
                            """
                              <entry>
                                <id>urn:daymaker:incident:\(incident.id.lowercaseText):\(update.kind):\(iso(update.at))</id>
                                <title>\(escape(title))</title>
                                <updated>\(iso(update.at))</updated>
                                <link href="\(escape(base))/status?program=\(escape(program.code))"/>
                                <content type="text">\(escape(update.message))</content>
                              </entry>
                            """
                        ))
                }
            }
        }
        entries.sort { $0.at > $1.at }
        let updated = entries.first?.at ?? status.generatedAt
        return """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <id>\(escape(base))/status.atom</id>
              <title>Service status</title>
              <updated>\(iso(updated))</updated>
              <link rel="self" href="\(escape(base))/status.atom"/>
              <link href="\(escape(base))/status"/>
              <author><name>Daymaker</name></author>
            \(entries.prefix(50).map(\.xml).joined(separator: "\n"))
            </feed>

            """
    }

    private static func escape(_ text: String) -> String { XMLText.escape(text) }

    private static func iso(_ date: Date) -> String { date.formatted(.iso8601) }
}
