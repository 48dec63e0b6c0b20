import DaymakerCore
import Synchronization
import Vapor

/// The public survey: `/s/{token}`, no sign-in, no JavaScript, for a phone first. A link answered or expired, or
/// one that is not ours, gets a kind page; a client that sends too many requests is asked to wait.
struct SurveyPages: RouteCollection {
    struct SurveyView: Encodable {
        let token: String
        let program: String
        let rep: String
        let scores: [FormChoice]
        let madeDay: String
        let thanks: String
        let better: String
        let rootCauses: [FormChoice]
        let errors: [FieldError]
    }

    struct DoneView: Encodable {
        let heading: String
        let text: String
    }

    struct AnswerForm: Content {
        var score: String?
        var madeDay: String?
        var thanks: String?
        var better: String?
        var rootCauses: [String]?
    }

    func boot(routes: any RoutesBuilder) throws {
        let surveys = routes.grouped(SurveyRateLimit())
        surveys.get("s", ":token", use: show)
        surveys.post("s", ":token", use: answer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        do {
            let opened = try await Surveys.open(token: token, now: req.now, on: req.db)
            return try await render(req, opened, token: token, form: AnswerForm(), errors: [])
        } catch let error as SurveyError {
            return try await closed(req, error)
        }
    }

    @Sendable func answer(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let form = try req.content.decode(AnswerForm.self)
        do {
            let (survey, credited) = try await Surveys.answer(
                token: token,
                SurveyAnswer(
                    score: form.score.flatMap { Int($0) }, madeDay: form.madeDay.map { $0 == "yes" },
                    thanks: form.thanks, better: form.better, rootCauses: form.rootCauses ?? []),
                now: req.now, events: req.application.events, on: req.db)
            var rep: String?
            if let id = survey.repID { rep = try await User.find(id, on: req.db)?.displayName }
            let passed = !credited.isEmpty && rep != nil ? " We have passed your thanks to \(rep!)." : ""
            return try await req.page(
                "surveys/done", title: "Thank you",
                DoneView(heading: "Thank you!", text: "Your answer helps us make more people's day.\(passed)"))
        } catch let error as SurveyError {
            return try await closed(req, error)
        } catch let failure as ValidationFailure {
            let opened = try await Surveys.open(token: token, now: req.now, on: req.db)
            return try await render(
                req, opened, token: token, form: form, errors: failure.errors, status: .unprocessableEntity)
        }
    }

    private func render(
        _ req: Request, _ opened: Surveys.Opened, token: String, form: AnswerForm, errors: [FieldError],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let rep = opened.rep ?? "our team"
        let chosen = Set(form.rootCauses ?? [])
        return try await req.page(
            "surveys/survey", title: "How did we do?",
            SurveyView(
                token: token, program: opened.program.name, rep: rep,
                scores: (1...5).reversed().map {
                    FormChoice(value: String($0), label: Self.scoreLabels[$0 - 1], checked: form.score == String($0))
                },
                madeDay: form.madeDay ?? "", thanks: form.thanks ?? "", better: form.better ?? "",
                rootCauses: opened.program.rootCauseVocabulary.all.map {
                    FormChoice(value: $0, label: Self.plain($0), checked: chosen.contains($0))
                },
                errors: errors),
            status: status)
    }

    /// A link that opens no form: a kind page, with the status that says why.
    private func closed(_ req: Request, _ error: SurveyError) async throws -> Response {
        let (heading, status): (String, HTTPResponseStatus) =
            switch error {
            case .answered: ("Already answered", .conflict)
            case .expired: ("This link has expired", .gone)
            case .unknown: ("We do not know this link", .notFound)
            }
        return try await req.page(
            "surveys/done", title: heading, DoneView(heading: heading, text: error.description), status: status)
    }

    static let scoreLabels = ["Very dissatisfied", "Dissatisfied", "Neither", "Satisfied", "Very satisfied"]

    /// `wait-time` → "Wait time".
    static func plain(_ word: String) -> String {
        let text = word.replacingOccurrences(of: "-", with: " ")
        return text.prefix(1).uppercased() + text.dropFirst()
    }
}

/// At most 30 survey requests a minute from one client address (per instance): enough for a customer, too few to
/// try tokens.
final class SurveyRateLimit: AsyncMiddleware, Sendable {
    private let limiter = Mutex(FixedWindowLimiter(limit: 30, window: 60))

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let now = request.now
        let address = request.clientAddress
        guard limiter.withLock({ $0.allow(address, now: now) }) else {
            let response = try await request.page(
                "surveys/done", title: "Please wait a moment",
                SurveyPages.DoneView(
                    heading: "Please wait a moment", text: "Too many tries from here just now. Try again in a minute."),
                status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: "60")
            return response
        }
        return try await next.respond(to: request)
    }
}
