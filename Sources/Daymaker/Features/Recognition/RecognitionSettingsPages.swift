import DaymakerCore
import Fluent
import Vapor

/// Supervisors tune their programs' recognition thresholds and greetings.
struct RecognitionSettingsPages: RouteCollection {
    struct SettingsView: Encodable {
        let header: SettingsHeader
        let settings: RecognitionSettings
        let errors: [FieldError]
        let notice: String?
    }

    struct SettingsForm: Content {
        var program: String
        var regularMinimumContacts: String?
        var windowDays: String?
        var missedGapMultiplier: String?
        var missedMinimumDays: String?
        var matchEmailPlusTags: String?
        var greeting: String?
        var missedGreeting: String?
        var newCallerGreeting: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("settings", "recognition", use: show)
        routes.post("settings", "recognition", use: save)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        let program = try await Program.chosen(req.query[String.self, at: "program"], by: principal, on: req.db)
        let settings = try await RecognitionSettings.load(programID: try program.requireID(), on: req.db)
        return try await render(req, principal, program, settings, errors: [], notice: req.notice)
    }

    @Sendable func save(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        let form = try req.content.decode(SettingsForm.self)
        let program = try await Program.chosen(form.program, by: principal, on: req.db)
        let (settings, v) = form.settings()
        do {
            try v.finish()
            try await settings.save(
                programID: try program.requireID(), actor: principal.userID, now: req.now, on: req.db)
            await req.publish(.programChanged(try program.requireID()))
            return req.seeOther("/settings/recognition?program=\(program.code)", notice: .saved)
        } catch let failure as ValidationFailure {
            return try await render(
                req, principal, program, settings, errors: failure.errors, notice: nil, status: .unprocessableEntity)
        }
    }

    private func render(
        _ req: Request, _ principal: Principal, _ program: Program, _ settings: RecognitionSettings,
        errors: [FieldError], notice: String?, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let view = SettingsView(
            header: try await SettingsHeader(
                path: "/settings/recognition", program: program, principal: principal, on: req.db),
            settings: settings, errors: errors, notice: notice)
        return try await req.page(
            "recognition/settings", title: "Recognition settings", section: "settings", view, status: status)
    }
}

extension RecognitionSettingsPages.SettingsForm {
    /// The settings the form holds, and what in it is not a number; thresholds and templates are checked on saving.
    func settings() -> (RecognitionSettings, FieldValidator) {
        var settings = RecognitionSettings.defaults
        var v = FieldValidator()
        func number<T: LosslessStringConvertible>(_ raw: String?, _ field: String, _ fallback: T) -> T {
            guard let raw = raw?.nilIfBlank else { return fallback }
            guard let value = T(raw) else {
                v.add(field, "must be a number")
                return fallback
            }
            return value
        }
        settings.regularMinimumContacts = number(
            regularMinimumContacts, "regularMinimumContacts", settings.regularMinimumContacts)
        settings.windowDays = number(windowDays, "windowDays", settings.windowDays)
        settings.missedGapMultiplier = number(missedGapMultiplier, "missedGapMultiplier", settings.missedGapMultiplier)
        settings.missedMinimumDays = number(missedMinimumDays, "missedMinimumDays", settings.missedMinimumDays)
        settings.matchEmailPlusTags = matchEmailPlusTags == "true"
        settings.greeting = greeting ?? settings.greeting
        settings.missedGreeting = missedGreeting ?? settings.missedGreeting
        settings.newCallerGreeting = newCallerGreeting ?? settings.newCallerGreeting
        return (settings, v)
    }
}
