import DaymakerCore
import Fluent
import Vapor

/// `/insights`: a program's dashboard over a range of days (supervisors of the program and admins; a rep sees
/// their own), each chart drawn on the server with its numbers in a table beside it, and every table as CSV.
struct InsightPages: RouteCollection {
    struct Asked: Content {
        var program: String?
        var rep: String?
        var from: String?
        var to: String?
    }

    struct DashboardView: Encodable {
        struct Tile: Encodable {
            let label: String
            let value: String
        }

        struct Definition: Encodable {
            let term: String
            let definition: String
        }

        let programs: [ProgramOption]
        let program: String
        let programName: String
        let reps: [FormChoice]
        let canChooseRep: Bool
        let from: String
        let to: String
        /// The query string of this view, for the exports.
        let query: String
        let tiles: [Tile]
        let hoursChart: String
        let daysChart: String
        let tables: [InsightTable]
        let definitions: [Definition]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("insights", use: show)
        routes.get("insights", ":table", use: export)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (program, range, principal) = try await Self.asked(req)
        let dashboard = try await Insights.dashboard(program, range, on: req.db)
        let n = InsightTable.Numbers(forPeople: true)
        var reps = [FormChoice(value: "", label: "All reps", checked: range.rep == nil)]
        if principal.role >= .supervisor {
            reps += try await User.activeMembers(of: try program.requireID(), on: req.db).filter { $0.role == .rep }
                .map {
                    FormChoice(
                        value: try $0.requireID().lowercaseText, label: $0.displayName, checked: $0.id == range.rep)
                }
        }
        var query = URLComponents()
        query.queryItems =
            [
                URLQueryItem(name: "program", value: program.code), URLQueryItem(name: "from", value: range.from),
                URLQueryItem(name: "to", value: range.to),
            ] + (range.rep.map { [URLQueryItem(name: "rep", value: $0.lowercaseText)] } ?? [])
        let t = dashboard.totals
        let channels = Array(Set(dashboard.byHour.map(\.channel))).sorted()
        let view = DashboardView(
            programs: ProgramOption.list(try await Program.visible(to: principal, on: req.db), selected: program),
            program: program.code, programName: program.name, reps: reps, canChooseRep: principal.role >= .supervisor,
            from: range.from, to: range.to, query: query.percentEncodedQuery ?? "",
            tiles: [
                .init(label: "Contacts", value: String(t.contacts)),
                .init(label: "Service level", value: n.share(t.serviceLevel)),
                .init(label: "Average speed of answer", value: n.seconds(t.averageSpeedOfAnswerSeconds)),
                .init(label: "Abandonment rate", value: n.share(t.abandonmentRate)),
                .init(label: "Average handle time", value: n.seconds(t.averageHandleTimeSeconds)),
                .init(label: "First-contact resolution", value: n.share(t.firstContactResolution)),
                .init(label: "CSAT", value: n.share(dashboard.feedback.csat)),
                .init(label: "Survey response rate", value: n.share(dashboard.feedback.responseRate)),
                .init(label: "Kudos", value: String(dashboard.feedback.kudos)),
                .init(label: "Heated / abusive", value: "\(t.heated) / \(t.abusive)"),
            ],
            hoursChart: BarChart(
                title: "Contacts by hour of the day", categories: (0..<24).map { String(format: "%02d", $0) },
                series: channels.map { channel in
                    BarChart.Series(
                        name: channel,
                        values: (0..<24).map { hour in
                            Double(dashboard.byHour.first { $0.hour == hour && $0.channel == channel }?.contacts ?? 0)
                        })
                }
            ).svg,
            daysChart: BarChart(
                title: "Service level by day", categories: dashboard.byDay.map { String($0.day.suffix(5)) },
                series: [
                    .init(name: "Service level", values: dashboard.byDay.map { ($0.metrics.serviceLevel ?? 0) * 100 })
                ], maximum: 100, format: { "\(Int($0.rounded())) %" }
            ).svg,
            tables: InsightTable.all(dashboard, n),
            definitions: InsightDefinitions.all(dashboard).map { .init(term: $0.term, definition: $0.definition) })
        return try await req.page("insights/dashboard", title: "Insights", section: "insights", view)
    }

    /// `/insights/{table}.csv`: one table of the dashboard as CSV.
    @Sendable func export(req: Request) async throws -> Response {
        let file = req.parameters.get("table") ?? ""
        let name = file.hasSuffix(".csv") ? String(file.dropLast(4)) : ""
        guard InsightTable.names.contains(name) else { throw NotFound("This table") }
        let (program, range, _) = try await Self.asked(req)
        let dashboard = try await Insights.dashboard(program, range, on: req.db)
        let table = InsightTable.all(dashboard, .init(forPeople: false)).first { $0.name == name }!
        let response = Response(status: .ok, body: .init(string: table.csv))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(
            name: .contentDisposition,
            value: "attachment; filename=\"\(program.code)-\(name)-\(range.from)-\(range.to).csv\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The program, range and rep asked for: supervisors and admins choose any rep of a program they see; a rep
    /// sees only their own.
    static func asked(_ req: Request) async throws -> (Program, InsightRange, Principal) {
        let principal = try req.requirePrincipal()
        let asked = try req.query.decode(Asked.self)
        let program = try await Program.chosen(asked.program, by: principal, on: req.db)
        var rep = asked.rep?.nilIfBlank.flatMap(UUID.init(uuidString:))
        if principal.role < .supervisor { rep = principal.userID }
        let range = try InsightRange.read(
            from: asked.from?.nilIfBlank, to: asked.to?.nilIfBlank, rep: rep, zone: program.zone, now: req.now)
        return (program, range, principal)
    }
}
