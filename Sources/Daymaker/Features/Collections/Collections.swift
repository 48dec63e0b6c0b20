import DaymakerCore
import Fluent
import Foundation

/// What cannot be done with a collection.
enum CollectionError: DomainError, Equatable {
    case alreadyDiscussed
    case alreadyInCollection
    case notAssigned

    var kind: DomainErrorKind {
        switch self {
        case .alreadyDiscussed, .alreadyInCollection: .conflict
        case .notAssigned: .forbidden
        }
    }

    var description: String {
        switch self {
        case .alreadyDiscussed: "You marked this moment discussed already."
        case .alreadyInCollection: "This moment is in the collection already."
        case .notAssigned: "This collection is not assigned to you."
        }
    }
}

/// Training collections: supervisors put featured moments (of any program) in an order with prompts and assign
/// them to reps or to their whole program with a due date; each assigned rep marks each moment discussed with a
/// reflection. Members of the program read its collections; other programs' answer 404.
enum Collections {
    /// A supervisor builds a collection for one of their programs.
    static func create(
        _ body: CollectionRequest, by principal: Principal, now: Date, on db: any Database
    ) async throws -> TrainingCollection {
        let program = try await Program.visible(code: body.program, to: principal, on: db)
        try principal.require(.supervisor)
        let programID = try program.requireID()
        var errors = FieldValidator()
        let title = errors.text(body.title, "title", maxLength: 200)
        let details = errors.text(body.description, "description", required: false, maxLength: 4000)
        let dueOn = dueDay(body.dueOn, zone: program.zone, now: now, into: &errors)
        let reps = Array(Set(body.reps ?? [])).sorted { $0.uuidString < $1.uuidString }
        errors.check(
            body.wholeProgram == true || !reps.isEmpty, "reps", "name at least one rep, or assign the whole program")
        let items = try await checked(body.items ?? [], field: "items", into: &errors, on: db)
        try errors.finish()
        for rep in reps { try await ProgramMembership.requireActiveMember(rep, of: programID, field: "reps", on: db) }

        let collection = TrainingCollection()
        collection.id = UUID(timeOrderedAt: now)
        collection.programID = programID
        collection.title = title ?? ""
        collection.details = details
        collection.dueOn = dueOn ?? ""
        collection.wholeProgram = body.wholeProgram ?? false
        collection.createdBy = principal.userID
        collection.createdAt = now
        return try await db.writeTransaction { db in
            try await collection.create(on: db)
            let id = try collection.requireID()
            for rep in reps { try await TrainingAssignee(collection: id, rep: rep).create(on: db) }
            try await store(items, in: id, on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: principal.userID, action: "collection.created", recordType: "collection",
                recordID: id, programID: programID)
            return collection
        }
    }

    /// A supervisor of the program changes its title, description, due day (a new one today or later) or who it is
    /// assigned to. A rep taken off keeps their reflections; audited.
    static func update(
        _ body: CollectionChangeRequest, of id: UUID, by principal: Principal, now: Date, on db: any Database
    ) async throws -> TrainingCollection {
        let collection = try await visible(id, to: principal, on: db)
        try principal.require(.supervisor)
        let zone = try await Program.find(collection.programID, on: db)?.zone ?? .gmt
        var errors = FieldValidator()
        let title = body.title.map { errors.text($0, "title", maxLength: 200) }
        let details = body.description.map {
            $0.flatMap { errors.text($0, "description", required: false, maxLength: 4000) }
        }
        let dueOn = body.dueOn.flatMap {
            $0 == collection.dueOn ? nil : dueDay($0, zone: zone, now: now, into: &errors)
        }
        let reps = body.reps.map { Array(Set($0)).sorted { $0.uuidString < $1.uuidString } }
        var named = reps ?? []
        if reps == nil { named = try await TrainingAssignee.query(on: db).filter(\.$collectionID == id).all(\.$repID) }
        errors.check(
            body.wholeProgram ?? collection.wholeProgram || !named.isEmpty, "reps",
            "name at least one rep, or assign the whole program")
        try errors.finish()
        for rep in reps ?? [] {
            try await ProgramMembership.requireActiveMember(rep, of: collection.programID, field: "reps", on: db)
        }
        return try await db.writeTransaction { db in
            try await db.lockRow(in: TrainingCollection.schema, id: id)
            guard let current = try await TrainingCollection.find(id, on: db) else { throw NotFound("Collection") }
            if let title { current.title = title ?? current.title }
            if let details { current.details = details }
            if let dueOn { current.dueOn = dueOn }
            if let whole = body.wholeProgram { current.wholeProgram = whole }
            try await current.save(on: db)
            if let reps {
                try await TrainingAssignee.query(on: db).filter(\.$collectionID == id).delete()
                for rep in reps { try await TrainingAssignee(collection: id, rep: rep).create(on: db) }
            }
            try await AuditEntry.record(
                on: db, at: now, actor: principal.userID, action: "collection.changed", recordType: "collection",
                recordID: id, programID: current.programID)
            return current
        }
    }

    /// The collection if the principal sees its program, else 404.
    static func visible(_ id: UUID, to principal: Principal, on db: any Database) async throws -> TrainingCollection {
        guard let collection = try await TrainingCollection.find(id, on: db),
            principal.canSee(program: collection.programID)
        else { throw NotFound("Collection") }
        return collection
    }

    /// The collections of the principal's programs (or one of them), soonest due first.
    static func list(
        program code: String?, by principal: Principal, on db: any Database
    ) async throws -> [TrainingCollection] {
        let query = TrainingCollection.query(on: db).sort(\.$dueOn).sort(\.$createdAt).limit(200)
        if let code {
            query.filter(\.$programID == (try await Program.visible(code: code, to: principal, on: db).requireID()))
        } else if let programs = principal.visiblePrograms {
            query.filter(\.$programID ~~ Array(programs))
        }
        return try await query.all()
    }

    /// A supervisor adds a featured moment at the end of the collection.
    static func add(
        _ item: CollectionItemRequest, to id: UUID, by principal: Principal, now: Date, on db: any Database
    ) async throws -> TrainingCollection {
        try await change(id, by: principal, now: now, on: db) { order, errors, db in
            let added = try await checked([item], field: "", into: &errors, on: db)
            if let added = added.first {
                guard !order.contains(where: { $0.moment == added.moment }) else {
                    throw CollectionError.alreadyInCollection
                }
                order.append(added)
            }
        }
    }

    /// A supervisor replaces the collection's moments with these, in this order.
    static func replace(
        _ items: [CollectionItemRequest], of id: UUID, by principal: Principal, now: Date, on db: any Database
    ) async throws -> TrainingCollection {
        try await change(id, by: principal, now: now, on: db) { order, errors, db in
            order = try await checked(items, field: "items", into: &errors, on: db)
        }
    }

    /// A supervisor moves one moment up or down, or takes it out.
    static func move(
        _ moment: UUID, _ move: TrainingOrder<UUID>.Move, in id: UUID, by principal: Principal, now: Date,
        on db: any Database
    ) async throws -> TrainingCollection {
        try await change(id, by: principal, now: now, on: db) { order, _, _ in
            var moved = TrainingOrder(order.map(\.moment))
            moved.apply(move, to: moment)
            let prompts = Dictionary(order.map { ($0.moment, $0.prompt) }, uniquingKeysWith: { first, _ in first })
            order = moved.items.map { ($0, prompts[$0] ?? nil) }
        }
    }

    /// An assigned rep marks one of the collection's moments discussed, with a reflection; once.
    static func discuss(
        _ body: DiscussionRequest, in id: UUID, by principal: Principal, now: Date, on db: any Database
    ) async throws -> TrainingDiscussion {
        let collection = try await visible(id, to: principal, on: db)
        var errors = FieldValidator()
        let reflection = errors.text(body.reflection, "reflection", maxLength: 2000)
        let inCollection =
            try await TrainingItem.query(on: db).filter(\.$collectionID == id)
            .filter(\.$momentID == body.momentId).count() > 0
        errors.check(inCollection, "momentId", "is not a moment of this collection")
        try errors.finish()
        guard try await assignees(of: [collection], on: db)[id, default: []].contains(principal.userID) else {
            throw CollectionError.notAssigned
        }
        return try await db.writeTransaction { db in
            // Two marks at once: the second waits here and then finds the first.
            try await db.lockRow(in: TrainingCollection.schema, id: id)
            let done = try await TrainingDiscussion.query(on: db).filter(\.$collectionID == id)
                .filter(\.$momentID == body.momentId).filter(\.$repID == principal.userID).count()
            guard done == 0 else { throw CollectionError.alreadyDiscussed }
            let discussion = TrainingDiscussion()
            discussion.id = UUID(timeOrderedAt: now)
            discussion.collectionID = id
            discussion.momentID = body.momentId
            discussion.repID = principal.userID
            discussion.reflection = reflection ?? ""
            discussion.discussedAt = now
            try await discussion.create(on: db)
            return discussion
        }
    }

    /// Who must discuss each collection: the reps named, and for a whole program every active rep of it.
    static func assignees(
        of collections: [TrainingCollection], on db: any Database
    ) async throws -> [UUID: Set<UUID>] {
        let ids = try collections.map { try $0.requireID() }
        var result: [UUID: Set<UUID>] = [:]
        for assignee in try await TrainingAssignee.query(on: db).filter(\.$collectionID ~~ ids).all() {
            result[assignee.collectionID, default: []].insert(assignee.repID)
        }
        let whole = Set(collections.filter(\.wholeProgram).map(\.programID))
        guard !whole.isEmpty else { return result }
        let memberships = try await ProgramMembership.query(on: db).filter(\.$program.$id ~~ whole)
            .join(User.self, on: \ProgramMembership.$user.$id == \User.$id)
            .filter(User.self, \.$role == .rep).filter(User.self, \.$active == true).all()
        var reps: [UUID: Set<UUID>] = [:]
        for membership in memberships { reps[membership.$program.id, default: []].insert(membership.$user.id) }
        for collection in collections where collection.wholeProgram {
            result[try collection.requireID(), default: []].formUnion(reps[collection.programID] ?? [])
        }
        return result
    }

    /// The end of the due day (the start of the next) in the program's zone.
    static func dueEnd(_ collection: TrainingCollection, zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = LocalTime.dayStart(collection.dueOn, zone: zone) ?? .distantFuture
        return calendar.date(byAdding: .day, value: 1, to: start) ?? start
    }

    /// A due day as a date field sends it (`2026-12-20`): today or later in the program's zone.
    private static func dueDay(
        _ text: String?, zone: TimeZone, now: Date, into errors: inout FieldValidator
    ) -> String? {
        guard let text = text?.trimmingWhitespace, !text.isEmpty else {
            errors.add("dueOn", "is required")
            return nil
        }
        guard let start = LocalTime.dayStart(text, zone: zone), LocalTime.day(start, zone: zone) == text else {
            errors.add("dueOn", "must be a day such as 2026-12-20")
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        errors.check(start >= calendar.startOfDay(for: now), "dueOn", "must be today or later")
        return text
    }

    typealias Entry = (moment: UUID, prompt: String?)

    /// The items asked for, checked: featured moments (of any program), each once, prompts of a sensible length.
    private static func checked(
        _ items: [CollectionItemRequest], field: String, into errors: inout FieldValidator, on db: any Database
    ) async throws -> [Entry] {
        errors.check(items.count <= 100, field, "must be at most 100 moments")
        let ids = items.map(\.momentId)
        let featured =
            ids.isEmpty
            ? []
            : Set(try await Moment.query(on: db).filter(\.$id ~~ ids).filter(\.$status == .featured).all(\.$id))
        var seen = Set<UUID>()
        var entries: [Entry] = []
        for (index, item) in items.enumerated() {
            let prefix = field.isEmpty ? "" : "\(field)[\(index)]."
            let prompt = errors.text(item.prompt, prefix + "prompt", required: false, maxLength: 1000)
            if !featured.contains(item.momentId) {
                errors.add(prefix + "momentId", "is not a featured moment")
            } else if !seen.insert(item.momentId).inserted {
                errors.add(prefix + "momentId", "is in the list twice")
            }
            entries.append((item.momentId, prompt))
        }
        return entries
    }

    /// Changes a collection's order in one write transaction, by its program's supervisors; audited.
    private static func change(
        _ id: UUID, by principal: Principal, now: Date, on db: any Database,
        _ body: @escaping @Sendable (inout [Entry], inout FieldValidator, any Database) async throws -> Void
    ) async throws -> TrainingCollection {
        let collection = try await visible(id, to: principal, on: db)
        try principal.require(.supervisor)
        return try await db.writeTransaction { db in
            try await db.lockRow(in: TrainingCollection.schema, id: id)
            var order = try await items(of: id, on: db).map { ($0.momentID, $0.prompt) as Entry }
            var errors = FieldValidator()
            try await body(&order, &errors, db)
            try errors.finish()
            try await TrainingItem.query(on: db).filter(\.$collectionID == id).delete()
            try await store(order, in: id, on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: principal.userID, action: "collection.changed", recordType: "collection",
                recordID: id, programID: collection.programID)
            return collection
        }
    }

    private static func store(_ entries: [Entry], in id: UUID, on db: any Database) async throws {
        for (position, entry) in entries.enumerated() {
            try await TrainingItem(collection: id, moment: entry.moment, position: position, prompt: entry.prompt)
                .create(on: db)
        }
    }

    /// The collection's items in their order.
    static func items(of id: UUID, on db: any Database) async throws -> [TrainingItem] {
        try await TrainingItem.query(on: db).filter(\.$collectionID == id).sort(\.$position).all()
    }
}
