import DaymakerCore
import Fluent
import Vapor

/// Training pages: a rep's own list and every collection of their programs, a collection with its moments to
/// discuss (and, for supervisors, its order and everyone's progress), building one, and adding a featured moment
/// to one from the moment's page or the digest. The same rules as the API (see `Collections`).
struct CollectionPages: RouteCollection {
    struct ListView: Encodable {
        let mine: [CollectionSummaryDTO]
        let all: [CollectionSummaryDTO]
        let notice: String?
    }

    struct NewForm: Content {
        var program: String?
        var title: String?
        var description: String?
        var dueOn: String?
        var wholeProgram: String?
        var reps: [String]?
    }

    /// Building a collection, or (with `editing`, its id) changing one: its program then stays as it is.
    struct NewView: Encodable {
        let editing: String?
        let form: NewForm
        let programs: [FormChoice]
        let reps: [FormChoice]
        let errors: [FieldError]
    }

    struct AddForm: Content {
        var collection: UUID?
        var moment: UUID?
        var prompt: String?
    }

    struct MoveForm: Content {
        var move: String?
    }

    struct DiscussForm: Content {
        /// The moment's id as the page wrote it (lower case), so the page can refill the right reflection.
        var moment: String?
        var reflection: String?
    }

    struct DetailView: Encodable {
        let collection: CollectionDTO
        let supervisor: Bool
        let overdue: Bool
        let form: DiscussForm
        let errors: [FieldError]
        let notice: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("collections", use: list)
        routes.get("collections", "new", use: newForm)
        routes.post("collections", use: create)
        routes.post("collections", "items", use: add)
        routes.get("collections", ":collectionID", use: show)
        routes.get("collections", ":collectionID", "edit", use: editForm)
        routes.post("collections", ":collectionID", use: update)
        routes.post("collections", ":collectionID", "items", ":momentID", "move", use: move)
        routes.post("collections", ":collectionID", "discussions", use: discuss)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let collections = try await Collections.list(program: nil, by: principal, on: req.db)
        let all = try await CollectionSummaryDTO.list(collections, for: principal, now: req.now, on: req.db)
        return try await req.page(
            "collections/list", title: "Training", section: "collections",
            ListView(mine: all.filter { $0.mine != nil }, all: all, notice: req.notice))
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        return try await renderNew(req, principal, form: NewForm(), errors: [])
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(NewForm.self)
        do {
            let collection = try await Collections.create(
                CollectionRequest(
                    program: form.program ?? "", title: form.title ?? "", description: form.description,
                    dueOn: form.dueOn ?? "", wholeProgram: form.wholeProgram != nil, reps: try form.repIDs()),
                by: principal, now: req.now, on: req.db)
            return req.seeOther(
                "/collections/\(try collection.requireID().lowercaseText)", notice: .collectionCreated)
        } catch {
            guard let failure = FormFailure(error, field: "title") else { throw error }
            return try await renderNew(req, principal, form: form, errors: failure.errors, status: failure.status)
        }
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let collection = try await Collections.visible(
            try req.uuidParameter("collectionID", "Collection"), to: principal, on: req.db)
        try principal.require(.supervisor)
        let reps = try await TrainingAssignee.query(on: req.db).filter(\.$collectionID == collection.requireID())
            .all(\.$repID)
        let form = NewForm(
            title: collection.title, description: collection.details, dueOn: collection.dueOn,
            wholeProgram: collection.wholeProgram ? "on" : nil, reps: reps.map(\.lowercaseText))
        return try await renderNew(req, principal, form: form, editing: collection, errors: [])
    }

    /// Saves the changed title, description, due day and who it is assigned to.
    @Sendable func update(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let id = try req.uuidParameter("collectionID", "Collection")
        let collection = try await Collections.visible(id, to: principal, on: req.db)
        let form = try req.content.decode(NewForm.self)
        do {
            _ = try await Collections.update(
                CollectionChangeRequest(
                    title: form.title ?? "", description: .some(form.description?.nilIfBlank), dueOn: form.dueOn ?? "",
                    wholeProgram: form.wholeProgram != nil, reps: try form.repIDs()),
                of: id, by: principal, now: req.now, on: req.db)
            return req.seeOther("/collections/\(id.lowercaseText)", notice: .collectionChanged)
        } catch {
            guard let failure = FormFailure(error, field: "title") else { throw error }
            return try await renderNew(
                req, principal, form: form, editing: collection, errors: failure.errors, status: failure.status)
        }
    }

    /// Adds a featured moment to the end of the collection chosen (the form on a moment's page and the digest).
    @Sendable func add(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(AddForm.self)
        guard let id = form.collection else { throw ValidationFailure(field: "collection", "choose a collection") }
        guard let moment = form.moment else { throw ValidationFailure(field: "moment", "is required") }
        _ = try await Collections.add(
            CollectionItemRequest(momentId: moment, prompt: form.prompt), to: id, by: principal, now: req.now,
            on: req.db)
        return req.seeOther("/collections/\(id.lowercaseText)", notice: .addedToCollection)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        return try await renderDetail(req, principal, form: DiscussForm(), errors: [], notice: req.notice)
    }

    /// Moves a moment up or down, or takes it out.
    @Sendable func move(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let id = try req.uuidParameter("collectionID", "Collection")
        let moment = try req.uuidParameter("momentID", "Moment")
        guard let move = try req.content.decode(MoveForm.self).move.flatMap(TrainingOrder<UUID>.Move.init) else {
            throw ValidationFailure(field: "move", "must be up, down or remove")
        }
        _ = try await Collections.move(moment, move, in: id, by: principal, now: req.now, on: req.db)
        return req.seeOther("/collections/\(id.lowercaseText)", notice: .collectionChanged)
    }

    @Sendable func discuss(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let id = try req.uuidParameter("collectionID", "Collection")
        let form = try req.content.decode(DiscussForm.self)
        do {
            guard let moment = form.moment.flatMap(UUID.init(uuidString:)) else {
                throw ValidationFailure(field: "momentId", "is required")
            }
            _ = try await Collections.discuss(
                DiscussionRequest(momentId: moment, reflection: form.reflection ?? ""), in: id, by: principal,
                now: req.now, on: req.db)
            return req.seeOther("/collections/\(id.lowercaseText)", notice: .momentDiscussed)
        } catch {
            guard let failure = FormFailure(error, field: "reflection") else { throw error }
            return try await renderDetail(
                req, principal, form: form, errors: failure.errors, notice: nil, status: failure.status)
        }
    }

    private func renderNew(
        _ req: Request, _ principal: Principal, form: NewForm, editing: TrainingCollection? = nil,
        errors: [FieldError], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var programs = try await Program.visible(to: principal, on: req.db)
        if let editing { programs = programs.filter { $0.id == editing.programID } }
        let reps = try await User.repChoices(in: programs, chosen: Set(form.reps ?? []), on: req.db)
        return try await req.page(
            "collections/new", title: editing == nil ? "New collection" : "Change the collection",
            section: "collections",
            NewView(
                editing: try editing?.requireID().lowercaseText, form: form,
                programs: programs.map { .init(value: $0.code, label: $0.name, checked: $0.code == form.program) },
                reps: reps,
                errors: errors),
            status: status)
    }

    private func renderDetail(
        _ req: Request, _ principal: Principal, form: DiscussForm, errors: [FieldError], notice: String?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let collection = try await Collections.visible(
            try req.uuidParameter("collectionID", "Collection"), to: principal, on: req.db)
        let dto = try await CollectionDTO.make(collection, for: principal, now: req.now, on: req.db)
        return try await req.page(
            "collections/detail", title: collection.title, section: "collections",
            DetailView(
                collection: dto, supervisor: principal.role >= .supervisor,
                overdue: dto.mine?.standing == .overdue, form: form, errors: errors, notice: notice),
            status: status)
    }
}

extension CollectionPages.NewForm {
    /// The reps ticked, as ids.
    func repIDs() throws(ValidationFailure) -> [UUID] {
        try (reps ?? []).map { text throws(ValidationFailure) in
            guard let id = UUID(uuidString: text) else { throw ValidationFailure(field: "reps", "is not a rep") }
            return id
        }
    }
}

extension Collections {
    /// The collections a supervisor may add a moment to, for a form's choices; none for reps.
    static func choices(for principal: Principal, on db: any Database) async throws -> [FormChoice] {
        guard principal.role >= .supervisor else { return [] }
        let collections = try await list(program: nil, by: principal, on: db)
        return try collections.map {
            FormChoice(value: try $0.requireID().lowercaseText, label: "\($0.title) (due \($0.dueOn))", checked: false)
        }
    }
}
