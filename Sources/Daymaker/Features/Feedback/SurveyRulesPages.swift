import DaymakerCore
import Fluent
import Vapor

/// Supervisors turn their program's surveys on and set who is asked, when, and what alerts them.
struct SurveyRulesPages: RouteCollection {
    struct RulesView: Encodable {
        let header: SettingsHeader
        let rules: SurveyRules
        let channels: [FormChoice]
        let errors: [FieldError]
        let notice: String?
    }

    struct RulesForm: Content {
        var program: String
        var enabled: String?
        var channels: [String]?
        var delayMinutes: String?
        var everyDays: String?
        var expiryDays: String?
        var lowScore: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("settings", "surveys", use: show)
        routes.post("settings", "surveys", use: save)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        let program = try await Program.chosen(req.query[String.self, at: "program"], by: principal, on: req.db)
        return try await render(req, principal, program, Surveys.rules(of: program), errors: [], notice: req.notice)
    }

    @Sendable func save(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        let form = try req.content.decode(RulesForm.self)
        let program = try await Program.chosen(form.program, by: principal, on: req.db)
        let rules = form.rules()
        do {
            _ = try await Surveys.saveRules(rules, of: program, by: principal, now: req.now, on: req.db)
            return req.seeOther("/settings/surveys?program=\(program.code)", notice: .saved)
        } catch let failure as ValidationFailure {
            return try await render(
                req, principal, program, rules, errors: failure.errors, notice: nil, status: .unprocessableEntity)
        }
    }

    private func render(
        _ req: Request, _ principal: Principal, _ program: Program, _ rules: SurveyRules, errors: [FieldError],
        notice: String?, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let view = RulesView(
            header: try await SettingsHeader(
                path: "/settings/surveys", program: program, principal: principal, on: req.db),
            rules: rules,
            channels: SurveyRules.allChannels.map { FormChoice(value: $0, checked: rules.channels.contains($0)) },
            errors: errors, notice: notice)
        return try await req.page("settings/surveys", title: "Surveys", section: "settings", view, status: status)
    }
}

extension SurveyRulesPages.RulesForm {
    /// The rules the form holds; a number that is not one is kept out of range, so saving names its field.
    func rules() -> SurveyRules {
        func number(_ raw: String?, _ fallback: Int) -> Int {
            guard let raw = raw?.nilIfBlank else { return fallback }
            return Int(raw.trimmingWhitespace) ?? -1
        }
        let d = SurveyRules.defaults
        return SurveyRules(
            enabled: enabled != nil, channels: channels ?? [], delayMinutes: number(delayMinutes, d.delayMinutes),
            everyDays: number(everyDays, d.everyDays), expiryDays: number(expiryDays, d.expiryDays),
            lowScore: number(lowScore, d.lowScore))
    }
}
