import DaymakerCore
import Fluent
import Vapor

/// Supervisors add their program's own behaviour tags and root causes, one per line, beside the shared defaults.
struct VocabularyPages: RouteCollection {
    struct VocabularyView: Encodable {
        let header: SettingsHeader
        let defaultTags: [String]
        let defaultCauses: [String]
        let extraMomentTags: String
        let extraRootCauses: String
        let errors: [FieldError]
        let notice: String?
    }

    struct VocabularyForm: Content {
        var program: String
        var extraMomentTags: String?
        var extraRootCauses: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("settings", "vocabulary", use: show)
        routes.post("settings", "vocabulary", use: save)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        let program = try await Program.chosen(req.query[String.self, at: "program"], by: principal, on: req.db)
        return try await render(
            req, principal, program, VocabularyForm(program: program.code), errors: [], notice: req.notice)
    }

    @Sendable func save(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        let form = try req.content.decode(VocabularyForm.self)
        let program = try await Program.chosen(form.program, by: principal, on: req.db)
        do {
            try await program.saveVocabulary(
                VocabularyRequest(
                    extraMomentTags: Self.lines(form.extraMomentTags), extraRootCauses: Self.lines(form.extraRootCauses)
                ),
                by: principal, now: req.now, on: req.db)
            return req.seeOther("/settings/vocabulary?program=\(program.code)", notice: .saved)
        } catch let failure as ValidationFailure {
            return try await render(
                req, principal, program, form, errors: failure.errors, notice: nil, status: .unprocessableEntity)
        }
    }

    private func render(
        _ req: Request, _ principal: Principal, _ program: Program, _ form: VocabularyForm, errors: [FieldError],
        notice: String?, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let saved = VocabularyDTO(program)
        let view = VocabularyView(
            header: try await SettingsHeader(
                path: "/settings/vocabulary", program: program, principal: principal, on: req.db),
            defaultTags: MomentTag.allCases.map(\.rawValue), defaultCauses: RootCause.allCases.map(\.rawValue),
            extraMomentTags: form.extraMomentTags ?? saved.extraMomentTags.joined(separator: "\n"),
            extraRootCauses: form.extraRootCauses ?? saved.extraRootCauses.joined(separator: "\n"),
            errors: errors, notice: notice)
        return try await req.page(
            "settings/vocabulary", title: "Tags and root causes", section: "settings", view, status: status)
    }

    /// A text area's lines (or comma-separated words), without blanks.
    static func lines(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "," }).map(String.init)
            .filter { !$0.trimmingWhitespace.isEmpty }
    }
}
