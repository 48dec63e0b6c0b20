import DaymakerCore
import Fluent
import Vapor

struct CollectionRequest: Content {
    var program: String
    var title: String
    var description: String?
    /// The last day to discuss it, `2026-12-20`, in the program's zone.
    var dueOn: String
    /// Assign it to every rep of the program.
    var wholeProgram: Bool?
    /// Reps of the program it is assigned to by name.
    var reps: [UUID]?
    var items: [CollectionItemRequest]?
}

/// The body of `PATCH /api/v1/collections/{id}`: only the fields sent change; `reps` is replaced whole; `null`
/// clears the description.
struct CollectionChangeRequest: Content {
    var title: String?
    var description: String??
    var dueOn: String?
    var wholeProgram: Bool?
    var reps: [UUID]?

    enum CodingKeys: String, CodingKey {
        case title, description, dueOn, wholeProgram, reps
    }

    init(title: String?, description: String??, dueOn: String?, wholeProgram: Bool?, reps: [UUID]?) {
        self.title = title
        self.description = description
        self.dueOn = dueOn
        self.wholeProgram = wholeProgram
        self.reps = reps
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        description = try c.decodeNullable(String.self, forKey: .description)
        dueOn = try c.decodeIfPresent(String.self, forKey: .dueOn)
        wholeProgram = try c.decodeIfPresent(Bool.self, forKey: .wholeProgram)
        reps = try c.decodeIfPresent([UUID].self, forKey: .reps)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(title, forKey: .title)
        try c.encodeNullable(description, forKey: .description)
        try c.encodeIfPresent(dueOn, forKey: .dueOn)
        try c.encodeIfPresent(wholeProgram, forKey: .wholeProgram)
        try c.encodeIfPresent(reps, forKey: .reps)
    }
}

struct CollectionItemRequest: Content {
    var momentId: UUID
    var prompt: String?
}

struct CollectionItemsRequest: Content {
    var items: [CollectionItemRequest]
}

struct DiscussionRequest: Content {
    var momentId: UUID
    var reflection: String
}

/// One rep's progress in a collection.
struct TrainingProgressDTO: Content, Equatable {
    var discussed: Int
    var total: Int
    var standing: TrainingProgress.Standing

    init(_ progress: TrainingProgress) {
        discussed = progress.discussed
        total = progress.total
        standing = progress.standing
    }
}

/// A collection in a list: how far its reps are, and how far you are if it is assigned to you.
struct CollectionSummaryDTO: Content, Equatable {
    @LowercaseID var id: UUID
    var program: String
    var title: String
    var dueOn: String
    var wholeProgram: Bool
    var moments: Int
    /// How many reps it is assigned to, how many discussed every moment, and how many are past the due date
    /// without.
    var assigned: Int
    var done: Int
    var overdue: Int
    var mine: TrainingProgressDTO?

    init(
        _ collection: TrainingCollection, program: String, standings: TrainingStandings, for rep: UUID, now: Date
    )
        throws
    {
        let id = try collection.requireID()
        self.id = id
        self.program = program
        title = collection.title
        dueOn = collection.dueOn
        wholeProgram = collection.wholeProgram
        moments = standings.items[id, default: []].count
        let everyone = standings.progress(in: collection, now: now).values
        assigned = everyone.count
        done = everyone.filter { $0.standing == .done }.count
        overdue = everyone.filter { $0.standing == .overdue }.count
        mine =
            standings.isAssigned(rep, to: collection)
            ? TrainingProgressDTO(standings.progress(of: rep, in: collection, now: now)) : nil
    }
}

/// A collection as its program's members see it: its moments in order (other programs' as they were shared), your
/// own "discussed", and for supervisors every assigned rep's progress and reflections.
struct CollectionDTO: Content, Equatable {
    struct Discussion: Content, Equatable {
        @LowercaseID var repId: UUID
        var rep: String
        var reflection: String
        var discussedAt: Date
    }

    struct Item: Content, Equatable {
        var moment: FeaturedMomentDTO
        var prompt: String?
        /// Yours, if you marked it discussed.
        var discussed: Discussion?
        /// Every rep's, for supervisors; nil for reps.
        var reflections: [Discussion]?
    }

    struct RepProgress: Content, Equatable {
        @LowercaseID var repId: UUID
        var rep: String
        var discussed: Int
        var total: Int
        var standing: TrainingProgress.Standing
    }

    @LowercaseID var id: UUID
    var program: String
    var title: String
    var description: String?
    var dueOn: String
    var wholeProgram: Bool
    /// The reps it is assigned to by name (lower-case ids).
    var reps: [String]
    @LowercaseID var createdBy: UUID
    var createdAt: Date
    var items: [Item]
    /// Every assigned rep's progress for supervisors; only your own for reps.
    var progress: [RepProgress]
    var mine: TrainingProgressDTO?

    /// Reads what the collection's page or answer shows the principal.
    static func make(
        _ collection: TrainingCollection, for principal: Principal, now: Date, on db: any Database
    ) async throws -> CollectionDTO {
        let id = try collection.requireID()
        let standings = try await TrainingStandings.load([collection], on: db)
        let items = standings.items[id, default: []]
        let moments = try await Moment.query(on: db).filter(\.$id ~~ items.map(\.momentID)).all()
        let byID = Dictionary(uniqueKeysWithValues: try moments.map { (try $0.requireID(), $0) })
        let codes = Program.codes(
            try await Program.query(on: db).filter(\.$id ~~ Set(moments.map(\.programID) + [collection.programID]))
                .all())
        let supervisor = principal.role >= .supervisor
        let everyone = standings.progress(in: collection, now: now)
        let shown = everyone.keys.filter { supervisor || $0 == principal.userID }
        let names = try await User.displayNames(
            Set(moments.compactMap(\.repID)).union(everyone.keys), on: db)
        let discussions = standings.discussions[id, default: []]
        func discussion(_ row: TrainingDiscussion) -> Discussion {
            Discussion(
                repId: row.repID, rep: names[row.repID] ?? "", reflection: row.reflection,
                discussedAt: row.discussedAt)
        }
        let named = try await TrainingAssignee.query(on: db).filter(\.$collectionID == id).all(\.$repID)
        return CollectionDTO(
            id: id, program: codes[collection.programID] ?? "", title: collection.title,
            description: collection.details, dueOn: collection.dueOn, wholeProgram: collection.wholeProgram,
            reps: named.map(\.lowercaseText).sorted(), createdBy: collection.createdBy,
            createdAt: collection.createdAt,
            items: try items.compactMap { item in
                guard let moment = byID[item.momentID] else { return nil }
                let about = discussions.filter { $0.momentID == item.momentID }
                return Item(
                    moment: try FeaturedMomentDTO(moment, for: principal, codes: codes, names: names),
                    prompt: item.prompt,
                    discussed: about.first { $0.repID == principal.userID }.map(discussion),
                    reflections: supervisor ? about.map(discussion) : nil)
            },
            progress: shown.map { rep in
                let progress = everyone[rep]!
                return RepProgress(
                    repId: rep, rep: names[rep] ?? "", discussed: progress.discussed, total: progress.total,
                    standing: progress.standing)
            }.sorted { ($0.rep, $0.repId.uuidString) < ($1.rep, $1.repId.uuidString) },
            mine: everyone[principal.userID].map(TrainingProgressDTO.init))
    }
}

/// Training collections' API: supervisors build and order them, assigned reps mark moments discussed, members
/// of the program read them.
struct CollectionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("collections", use: list)
        routes.post("collections", use: create)
        routes.get("collections", ":collectionID", use: show)
        routes.patch("collections", ":collectionID", use: update)
        routes.post("collections", ":collectionID", "items", use: add)
        routes.put("collections", ":collectionID", "items", use: replace)
        routes.post("collections", ":collectionID", "discussions", use: discuss)
    }

    /// `?program=CODE` (default: every program of yours).
    @Sendable func list(req: Request) async throws -> ItemPage<CollectionSummaryDTO> {
        let principal = try req.requirePrincipal()
        let program = req.query[String.self, at: "program"]
        let collections = try await Collections.list(program: program, by: principal, on: req.db)
        return ItemPage(
            items: try await CollectionSummaryDTO.list(collections, for: principal, now: req.now, on: req.db),
            nextCursor: nil)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(CollectionRequest.self)
        let collection = try await Collections.create(body, by: principal, now: req.now, on: req.db)
        return try await CollectionDTO.make(collection, for: principal, now: req.now, on: req.db)
            .created(at: "/api/v1/collections/\(try collection.requireID().lowercaseText)", for: req)
    }

    @Sendable func show(req: Request) async throws -> CollectionDTO {
        let principal = try req.requirePrincipal()
        let collection = try await Collections.visible(Self.id(req), to: principal, on: req.db)
        return try await CollectionDTO.make(collection, for: principal, now: req.now, on: req.db)
    }

    /// Changes the title, description, due day or who it is assigned to.
    @Sendable func update(req: Request) async throws -> CollectionDTO {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(CollectionChangeRequest.self)
        let collection = try await Collections.update(body, of: Self.id(req), by: principal, now: req.now, on: req.db)
        return try await CollectionDTO.make(collection, for: principal, now: req.now, on: req.db)
    }

    /// Adds a featured moment at the end.
    @Sendable func add(req: Request) async throws -> CollectionDTO {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(CollectionItemRequest.self)
        let collection = try await Collections.add(body, to: Self.id(req), by: principal, now: req.now, on: req.db)
        return try await CollectionDTO.make(collection, for: principal, now: req.now, on: req.db)
    }

    /// Replaces the moments with these, in this order (to reorder, change prompts or take moments out).
    @Sendable func replace(req: Request) async throws -> CollectionDTO {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(CollectionItemsRequest.self)
        let collection = try await Collections.replace(
            body.items, of: Self.id(req), by: principal, now: req.now, on: req.db)
        return try await CollectionDTO.make(collection, for: principal, now: req.now, on: req.db)
    }

    /// An assigned rep marks a moment discussed, with a reflection.
    @Sendable func discuss(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(DiscussionRequest.self)
        let id = try Self.id(req)
        _ = try await Collections.discuss(body, in: id, by: principal, now: req.now, on: req.db)
        let collection = try await Collections.visible(id, to: principal, on: req.db)
        return try await CollectionDTO.make(collection, for: principal, now: req.now, on: req.db)
            .created(at: "/api/v1/collections/\(id.lowercaseText)", for: req)
    }

    private static func id(_ req: Request) throws -> UUID {
        try req.uuidParameter("collectionID", "Collection")
    }
}

extension CollectionSummaryDTO {
    /// The collections with their programs' codes and everyone's progress, read together.
    static func list(
        _ collections: [TrainingCollection], for principal: Principal, now: Date, on db: any Database
    ) async throws -> [CollectionSummaryDTO] {
        let standings = try await TrainingStandings.load(collections, on: db)
        let codes = Program.codes(
            try await Program.query(on: db).filter(\.$id ~~ Set(collections.map(\.programID))).all())
        return try collections.map {
            try CollectionSummaryDTO(
                $0, program: codes[$0.programID] ?? "", standings: standings, for: principal.userID, now: now)
        }
    }
}
