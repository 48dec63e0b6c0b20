import DaymakerCore
import Fluent
import Vapor

/// The world-class library's pages: the library, nominating a contact (from the customer's page), a moment with
/// its review for supervisors, and the week's digest (printable, and downloadable as one self-contained file).
/// The same rules as the API (see `Moments`).
struct MomentPages: RouteCollection {
    struct ListView: Encodable {
        struct Row: Encodable {
            let id: String
            let program: String
            let channel: String
            let status: String
            let littleExtra: String
            let rep: String?
            let tags: String
            let nominated: String
        }
        let rows: [Row]
        let programs: [FormChoice]
        let statuses: [FormChoice]
        let tags: [FormChoice]
        let channels: [FormChoice]
        let reps: [FormChoice]
        let from: String
        let until: String
        let q: String
        let notice: String?
    }

    /// The library's filters as the page's form sends them (empty: any).
    struct LibraryQuery: Content {
        var program: String?
        var status: String?
        var tag: String?
        var channel: String?
        var from: String?
        var until: String?
        var rep: String?
        var q: String?
    }

    struct NominateForm: Content {
        var contact: UUID?
        var littleExtra: String?
        var quote: String?
        var tags: [String]?
        var evidence: String?
        var evidenceUrl: String?
    }

    struct NominateView: Encodable {
        let contact: String
        let program: String
        let customer: String?
        let form: NominateForm
        let tags: [FormChoice]
        let errors: [FieldError]
    }

    struct ReviewForm: Content {
        var comment: String?
        var littleExtra: String?
        var quote: String?
        var evidence: String?
        var reason: String?
    }

    struct DetailView: Encodable {
        let moment: MomentDTO
        let rep: String?
        let nominated: String
        let reviewable: Bool
        let shared: MomentDTO.Shared?
        let form: ReviewForm
        let errors: [FieldError]
        let notice: String?
        /// The collections a supervisor may add it to, once featured.
        let collections: [FormChoice]
    }

    struct DigestView: Encodable {
        let digest: MomentDigestDTO
        let from: String
        let until: String
        let previous: String
        let next: String
        /// The collections a supervisor may add a moment to (none in the downloaded file).
        let collections: [FormChoice]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("moments", use: list)
        routes.get("moments", "new", use: nominateForm)
        routes.post("moments", use: nominate)
        routes.get("moments", "digest", use: digest)
        routes.get("moments", "digest.html", use: digestFile)
        routes.get("moments", ":momentID", use: show)
        routes.post("moments", ":momentID", "feature", use: feature)
        routes.post("moments", ":momentID", "decline", use: decline)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let programs = try await Program.visible(to: principal, on: req.db)
        let asked = try req.query.decode(LibraryQuery.self)
        let program = programs.first { $0.code == asked.program }
        let zone = program?.zone ?? programs.first?.zone ?? .gmt
        let filter = try MomentFilter(
            program: program?.code, status: asked.status.flatMap(Moment.Status.init(rawValue:)),
            tag: asked.tag.flatMap(Vocabulary.word), rep: asked.rep.flatMap(UUID.init(uuidString:)),
            channel: asked.channel.flatMap(Contact.Channel.init(rawValue:)),
            from: try Self.day(asked.from, "from", zone: zone),
            until: try Self.day(asked.until, "until", zone: zone).map { $0.addingTimeInterval(86_400) },
            text: asked.q, limit: 100
        ).validated()
        let moments = try await Moments.list(filter, by: principal, on: req.db)
        let codes = Program.codes(programs)
        let names = try await User.displayNames(Set(moments.compactMap(\.repID)), on: req.db)
        return try await req.page(
            "moments/list", title: "Moments", section: "moments",
            ListView(
                rows: try moments.map {
                    ListView.Row(
                        id: try $0.requireID().lowercaseText, program: codes[$0.programID] ?? "",
                        channel: $0.channel.rawValue, status: $0.status.rawValue, littleExtra: $0.littleExtra,
                        rep: $0.repID.flatMap { names[$0] }, tags: $0.tagList.joined(separator: ", "),
                        nominated: DisplayTime.format($0.createdAt, in: zone))
                },
                programs: programs.map { .init(value: $0.code, label: $0.name, checked: $0.code == program?.code) },
                statuses: Moment.Status.allCases.map { .init(value: $0.rawValue, checked: $0 == filter.status) },
                tags: Self.tags(of: programs).map { .init(value: $0, checked: $0 == filter.tag) },
                channels: Contact.Channel.allCases.map { .init(value: $0.rawValue, checked: $0 == filter.channel) },
                reps: try await User.repChoices(
                    in: programs, chosen: Set([asked.rep?.lowercased()].compactMap { $0 }), on: req.db),
                from: asked.from ?? "", until: asked.until ?? "", q: asked.q ?? "", notice: req.notice))
    }

    @Sendable func nominateForm(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.query.decode(NominateForm.self)
        return try await renderNominate(req, principal, form: form, errors: [])
    }

    @Sendable func nominate(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(NominateForm.self)
        let contact = try await Self.contact(form.contact, principal, on: req.db)
        do {
            let program = try await Program.find(contact.$program.id, on: req.db)
            let moment = try await Moments.nominate(
                MomentRequest(
                    program: program?.code ?? "", contactId: try contact.requireID(),
                    littleExtra: form.littleExtra ?? "",
                    quote: form.quote, tags: form.tags, evidence: form.evidence, evidenceUrl: form.evidenceUrl),
                by: principal, now: req.now, on: req.db)
            return req.seeOther("/moments/\(try moment.requireID().lowercaseText)", notice: .momentNominated)
        } catch {
            guard let failure = FormFailure(error, field: "littleExtra") else { throw error }
            return try await renderNominate(req, principal, form: form, errors: failure.errors, status: failure.status)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        return try await renderDetail(req, principal, form: nil, errors: [], notice: req.notice)
    }

    @Sendable func feature(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let id = try req.uuidParameter("momentID", "Moment")
        let form = try req.content.decode(ReviewForm.self)
        do {
            let shared =
                form.littleExtra == nil
                ? nil
                : MomentDTO.Shared(littleExtra: form.littleExtra ?? "", quote: form.quote, evidence: form.evidence)
            _ = try await Moments.feature(
                id, MomentFeatureRequest(comment: form.comment, shared: shared), by: principal, now: req.now,
                on: req.db, events: req.application.events)
            return req.seeOther("/moments/\(id.lowercaseText)", notice: .momentFeatured)
        } catch {
            guard let failure = FormFailure(error, field: "comment") else { throw error }
            return try await renderDetail(
                req, principal, form: form, errors: failure.errors, notice: nil, status: failure.status)
        }
    }

    @Sendable func decline(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let id = try req.uuidParameter("momentID", "Moment")
        let form = try req.content.decode(ReviewForm.self)
        do {
            _ = try await Moments.decline(
                id, MomentDeclineRequest(reason: form.reason ?? ""), by: principal, now: req.now, on: req.db)
            return req.seeOther("/moments/\(id.lowercaseText)", notice: .momentDeclined)
        } catch {
            guard let failure = FormFailure(error, field: "reason") else { throw error }
            return try await renderDetail(
                req, principal, form: form, errors: failure.errors, notice: nil, status: failure.status)
        }
    }

    @Sendable func digest(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let view = try await digestView(req, principal, collections: Collections.choices(for: principal, on: req.db))
        return try await req.page("moments/digest", title: "Moments of \(view.digest.week)", section: "moments", view)
    }

    /// The digest as one HTML file with its styles inside, to send on or keep.
    @Sendable func digestFile(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let view = try await digestView(req, principal, collections: [])
        struct File: Encodable { let content: DigestView }
        let response = try await req.view.render("moments/digest-file", File(content: view)).encodeResponse(for: req)
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"moments-\(view.digest.week).html\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    private func digestView(
        _ req: Request, _ principal: Principal, collections: [FormChoice]
    ) async throws -> DigestView {
        let week = try DigestWeek.requested(req.query[String.self, at: "week"], now: req.now)
        let digest = try await Moments.digest(week, for: principal, on: req.db)
        return DigestView(
            digest: digest, from: DisplayTime.day(week.start, zone: .gmt),
            until: DisplayTime.day(week.end.addingTimeInterval(-1), zone: .gmt),
            previous: DigestWeek(containing: week.start.addingTimeInterval(-86_400)).description,
            next: DigestWeek(containing: week.end).description, collections: collections)
    }

    /// The start of a day (`2026-11-20`, as a date field sends it) in the zone; nil when not given.
    private static func day(_ text: String?, _ field: String, zone: TimeZone) throws(ValidationFailure) -> Date? {
        guard let text = text?.nilIfBlank else { return nil }
        guard let start = LocalTime.dayStart(text, zone: zone) else {
            throw ValidationFailure(field: field, "must be a day such as 2026-11-20")
        }
        return start
    }

    /// The contact to nominate, if the principal may see its program.
    /// The library's tag filter: every program's tags, the defaults first.
    private static func tags(of programs: [Program]) -> [String] {
        var tags: [String] = []
        for program in programs {
            for tag in program.momentTagVocabulary.all where !tags.contains(tag) { tags.append(tag) }
        }
        return tags
    }

    private static func contact(_ id: UUID?, _ principal: Principal, on db: any Database) async throws -> Contact {
        guard let id, let contact = try await Contact.find(id, on: db), principal.canSee(program: contact.$program.id)
        else { throw NotFound("Contact") }
        return contact
    }

    private func renderNominate(
        _ req: Request, _ principal: Principal, form: NominateForm, errors: [FieldError],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let contact = try await Self.contact(form.contact, principal, on: req.db)
        let program = try await Program.find(contact.$program.id, on: req.db)
        var customer: Customer?
        if let id = contact.$customer.id { customer = try await Customer.find(id, on: req.db) }
        var form = form
        if form.evidence == nil { form.evidence = contact.summary }
        let chosen = Set(form.tags ?? [])
        return try await req.page(
            "moments/new", title: "Nominate a moment", section: "moments",
            NominateView(
                contact: try contact.requireID().lowercaseText, program: program?.code ?? "",
                customer: customer.map { $0.preferredName ?? $0.fullName }, form: form,
                tags: (program?.momentTagVocabulary.all ?? []).map { .init(value: $0, checked: chosen.contains($0)) },
                errors: errors),
            status: status)
    }

    private func renderDetail(
        _ req: Request, _ principal: Principal, form: ReviewForm?, errors: [FieldError], notice: String?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let moment = try await Moments.visible(try req.uuidParameter("momentID", "Moment"), to: principal, on: req.db)
        let program = try await Program.find(moment.programID, on: req.db)
        let supervisor = principal.role >= .supervisor
        let shared = supervisor ? try await Moments.shared(moment, now: req.now, on: req.db) : nil
        let rep = try await User.displayNames(Set([moment.repID].compactMap { $0 }), on: req.db)
        return try await req.page(
            "moments/detail", title: "Moment", section: "moments",
            DetailView(
                moment: try MomentDTO(moment, program: program?.code ?? "", shared: shared),
                rep: moment.repID.flatMap { rep[$0] },
                nominated: DisplayTime.format(moment.createdAt, in: program?.zone ?? .gmt),
                reviewable: supervisor && moment.status == .nominated, shared: shared,
                form: form
                    ?? ReviewForm(littleExtra: shared?.littleExtra, quote: shared?.quote, evidence: shared?.evidence),
                errors: errors, notice: notice,
                collections: moment.status == .featured ? try await Collections.choices(for: principal, on: req.db) : []
            ),
            status: status)
    }
}
