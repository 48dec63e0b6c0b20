import DaymakerCore
import Fluent
import Vapor

/// Challenge pages: the list, starting one, and a challenge with its story form, the stories' threads (answers and
/// follow-up questions, reflections), nominating a story as a moment, and closing it. The same rules as the API
/// (see `Challenges`).
struct ChallengePages: RouteCollection {
    struct ListView: Encodable {
        struct Row: Encodable {
            let id: String
            let title: String
            let programs: String
            let phase: String
            let window: String
        }
        let rows: [Row]
        let notice: String?
    }

    struct NewForm: Content {
        var programs: [String]?
        var title: String?
        var prompt: String?
        var incentive: String?
        var startsAt: String?
        var endsAt: String?
        var questions: String?
    }

    struct NewView: Encodable {
        let form: NewForm
        let programs: [FormChoice]
        let errors: [FieldError]
    }

    struct StoryForm: Content {
        var kind: String?
        var text: String?
        var contact: UUID?
        var questions: String?
    }

    struct CloseForm: Content {
        var summary: String?
        var rootCauses: [String]?
        var awarded: [String]?
    }

    struct DetailView: Encodable {
        struct Story: Encodable {
            let story: StoryDTO
            let hard: Bool
            let mine: Bool
            let asked: Bool
            let nominable: Bool
            /// The questions an answer sends by default, one per line.
            let questions: String
        }
        let challenge: ChallengeDTO
        let window: String
        let stories: [Story]
        let canTell: Bool
        let closed: Bool
        /// A supervisor, while the challenge is not closed: answering stories and closing it.
        let canManage: Bool
        let rootCauses: [FormChoice]
        let reps: [FormChoice]
        /// The contact a story is about, when the rep came from it (the customer page's "Tell it as a story").
        let contact: ContactLine?
        let errors: [FieldError]
        let notice: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("challenges", use: list)
        routes.get("challenges", "new", use: newForm)
        routes.post("challenges", use: create)
        routes.get("challenges", ":challengeID", use: show)
        routes.post("challenges", ":challengeID", "stories", use: tell)
        routes.post("challenges", ":challengeID", "close", use: close)
        routes.post("stories", ":storyID", "answer", use: answer)
        routes.post("stories", ":storyID", "reflections", use: reflect)
        routes.post("stories", ":storyID", "nominate", use: nominate)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let zone = try await Program.visible(to: principal, on: req.db).first?.zone ?? .gmt
        let rows = try await ChallengeDTO.list(for: principal, now: req.now, on: req.db).map { dto in
            ListView.Row(
                id: dto.id.lowercaseText, title: dto.title, programs: dto.programs.joined(separator: ", "),
                phase: dto.phase.rawValue, window: Self.window(dto, zone: zone))
        }
        return try await req.page(
            "challenges/list", title: "Challenges", section: "challenges", ListView(rows: rows, notice: req.notice))
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        return try await renderNew(
            req, principal,
            form: NewForm(
                prompt: "You have the power to make someone's day today. Tell us about it.",
                questions: FollowUpQuestions.standard.joined(separator: "\n")),
            errors: [])
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(NewForm.self)
        do {
            let codes = form.programs ?? []
            var zone: TimeZone?
            if let code = codes.first { zone = try await Program.visible(code: code, to: principal, on: req.db).zone }
            var errors = FieldValidator()
            func time(_ text: String?, _ field: String) -> Date {
                let date = text.flatMap { LocalTime.read($0, zone: zone ?? .gmt) }
                errors.check(date != nil, field, "must be a date and time such as 2026-11-20T09:00")
                return date ?? .distantPast
            }
            let starts = time(form.startsAt, "startsAt")
            let ends = time(form.endsAt, "endsAt")
            try errors.finish()
            let challenge = try await Challenges.create(
                ChallengeRequest(
                    programs: codes, title: form.title ?? "", prompt: form.prompt ?? "", incentive: form.incentive,
                    startsAt: starts, endsAt: ends, questions: form.questions.map(Self.lines)),
                by: principal, now: req.now, on: req.db)
            return req.seeOther("/challenges/\(try challenge.requireID().lowercaseText)", notice: .challengeStarted)
        } catch {
            guard let failure = FormFailure(error, field: "title") else { throw error }
            return try await renderNew(req, principal, form: form, errors: failure.errors, status: failure.status)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        return try await renderDetail(req, principal, errors: [], notice: req.notice)
    }

    @Sendable func tell(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let id = try req.uuidParameter("challengeID", "Challenge")
        let form = try req.content.decode(StoryForm.self)
        return try await acting(req, principal) {
            let kind = form.kind.flatMap(ChallengeStory.Kind.init(rawValue:)) ?? .story
            let story = try await Challenges.tell(
                StoryRequest(kind: kind, text: form.text ?? "", contactId: form.contact), in: id, by: principal,
                now: req.now, on: req.db)
            return Self.path(story, notice: .storyTold)
        }
    }

    @Sendable func close(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let id = try req.uuidParameter("challengeID", "Challenge")
        let form = try req.content.decode(CloseForm.self)
        return try await acting(req, principal) {
            _ = try await Challenges.close(
                ChallengeCloseRequest(
                    summary: form.summary ?? "", rootCauses: form.rootCauses,
                    awarded: (form.awarded ?? []).compactMap(UUID.init(uuidString:))),
                id: id, by: principal, now: req.now, on: req.db)
            return ("/challenges/\(id.lowercaseText)", .challengeClosed)
        }
    }

    @Sendable func answer(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(StoryForm.self)
        return try await acting(req, principal) {
            let story = try await Challenges.answer(
                StoryAnswerRequest(text: form.text ?? "", questions: form.questions.map(Self.lines)),
                to: try req.uuidParameter("storyID", "Story"), by: principal, now: req.now, on: req.db,
                events: req.application.events)
            return Self.path(story, notice: .storyAnswered)
        }
    }

    @Sendable func reflect(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(StoryForm.self)
        return try await acting(req, principal) {
            let story = try await Challenges.reflect(
                StoryReflectionRequest(text: form.text ?? ""), on: try req.uuidParameter("storyID", "Story"),
                by: principal, now: req.now, on: req.db)
            return Self.path(story, notice: .reflected)
        }
    }

    @Sendable func nominate(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let moment = try await Challenges.nominate(
            try req.uuidParameter("storyID", "Story"), by: principal, now: req.now, on: req.db)
        return req.seeOther("/moments/\(try moment.requireID().lowercaseText)", notice: .momentNominated)
    }

    /// Runs a story or closing action and goes to where it returns; a problem the person can fix is shown on the
    /// challenge's page.
    private func acting(
        _ req: Request, _ principal: Principal, _ action: () async throws -> (path: String, notice: Notice)
    ) async throws -> Response {
        do {
            let (path, notice) = try await action()
            return req.seeOther(path, notice: notice)
        } catch {
            guard let failure = FormFailure(error, field: "text") else { throw error }
            return try await renderDetail(
                req, principal, errors: failure.errors, notice: nil, status: failure.status)
        }
    }

    private static func path(_ story: ChallengeStory, notice: Notice) -> (path: String, notice: Notice) {
        ("/challenges/\(story.challengeID.lowercaseText)", notice)
    }

    /// A textarea's lines, for a list of questions.
    private static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// The contact named in the address (or the form being shown again), if it is one of the challenge's programs.
    private static func linked(_ req: Request, programs: [UUID], zone: TimeZone) async throws -> ContactLine? {
        guard let id = req.query[UUID.self, at: "contact"] ?? (try? req.content.get(UUID.self, at: "contact")),
            let contact = try await Contact.find(id, on: req.db), programs.contains(contact.$program.id)
        else { return nil }
        return ContactLine(contact, rep: nil, zone: zone)
    }

    private static func window(_ challenge: ChallengeDTO, zone: TimeZone) -> String {
        DisplayTime.format(challenge.startsAt, in: zone) + " to " + DisplayTime.format(challenge.endsAt, in: zone)
    }

    private func renderNew(
        _ req: Request, _ principal: Principal, form: NewForm, errors: [FieldError], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let programs = try await Program.visible(to: principal, on: req.db)
        let chosen = Set(form.programs ?? [])
        return try await req.page(
            "challenges/new", title: "New challenge", section: "challenges",
            NewView(
                form: form,
                programs: programs.map { .init(value: $0.code, label: $0.name, checked: chosen.contains($0.code)) },
                errors: errors),
            status: status)
    }

    private func renderDetail(
        _ req: Request, _ principal: Principal, errors: [FieldError], notice: String?, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let challenge: Challenge
        if let id = req.parameters.get("challengeID").flatMap(UUID.init(uuidString:)) {
            challenge = try await Challenges.visible(id, to: principal, on: req.db)
        } else {
            let story = try await Challenges.story(
                try req.uuidParameter("storyID", "Story"), to: principal, on: req.db)
            challenge = try await Challenges.visible(story.challengeID, to: principal, on: req.db)
        }
        let dto = try await ChallengeDTO.make(challenge, for: principal, withStories: true, now: req.now, on: req.db)
        let programs = try await Challenges.programs(of: try challenge.requireID(), on: req.db)
        let zone = try await Program.find(programs.first ?? UUID(), on: req.db)?.zone ?? .gmt
        let supervisor = principal.role >= .supervisor
        let stories = dto.stories ?? []
        let tellers = Dictionary(stories.map { ($0.repId, $0.rep) }, uniquingKeysWith: { first, _ in first })
        let awarded = Set(dto.awarded)
        return try await req.page(
            "challenges/detail", title: dto.title, section: "challenges",
            DetailView(
                challenge: dto, window: Self.window(dto, zone: zone),
                stories: stories.map { story in
                    let hard = story.kind == .hardContact
                    let mine = story.repId == principal.userID
                    return .init(
                        story: story, hard: hard, mine: mine, asked: story.thread.contains { $0.kind == .answer },
                        nominable: !hard && story.momentId == nil && (mine || supervisor),
                        questions: (hard ? FollowUpQuestions.hardContact : dto.questions).joined(separator: "\n"))
                },
                canTell: dto.phase == .running, closed: dto.phase == .closed,
                canManage: supervisor && dto.phase != .closed,
                rootCauses: try await Challenges.rootCauses(of: programs, on: req.db).all.map {
                    .init(value: $0, checked: dto.rootCauses.contains($0))
                },
                reps: tellers.sorted { $0.value < $1.value }.map {
                    .init(value: $0.key.lowercaseText, label: $0.value, checked: awarded.contains($0.key.lowercaseText))
                },
                contact: try await Self.linked(req, programs: programs, zone: zone), errors: errors, notice: notice),
            status: status)
    }
}
