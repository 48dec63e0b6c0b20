import DaymakerCore
import Fluent
import Vapor

struct ChallengeRequest: Content {
    var programs: [String]
    var title: String
    var prompt: String
    var incentive: String?
    var startsAt: Date
    var endsAt: Date
    /// The follow-up questions for a day made; nil: the three from the field.
    var questions: [String]?
}

struct StoryRequest: Content {
    var kind: ChallengeStory.Kind?
    var text: String
    var contactId: UUID?
}

struct StoryAnswerRequest: Content {
    var text: String
    /// nil: the challenge's questions (the supportive ones for a hard contact).
    var questions: [String]?
}

struct StoryReflectionRequest: Content {
    var text: String
}

struct ChallengeCloseRequest: Content {
    var summary: String
    /// From the root causes of the challenge's programs.
    var rootCauses: [String]?
    var awarded: [UUID]?
}

/// A story with its thread, as someone who may see it reads it.
struct StoryDTO: Content, Equatable {
    struct Entry: Content, Equatable {
        @LowercaseID var authorId: UUID
        var author: String
        var kind: StoryEntry.Kind
        var text: String
        var questions: [String]?
        var at: Date
    }

    @LowercaseID var id: UUID
    @LowercaseID var challengeId: UUID
    var program: String
    @LowercaseID var repId: UUID
    var rep: String
    var kind: ChallengeStory.Kind
    var text: String
    @LowercaseID var contactId: UUID?
    @LowercaseID var momentId: UUID?
    var createdAt: Date
    var thread: [Entry]
}

/// A challenge: its prompt, window and phase, and once closed who received the incentive and what the company
/// could have done differently; with its stories the principal may see.
struct ChallengeDTO: Content, Equatable {
    @LowercaseID var id: UUID
    var programs: [String]
    var title: String
    var prompt: String
    var incentive: String?
    var startsAt: Date
    var endsAt: Date
    var phase: ChallengeWindow.Phase
    var questions: [String]
    @LowercaseID var createdBy: UUID
    var createdAt: Date
    var closedAt: Date?
    var summary: String?
    var rootCauses: [String]
    /// The reps who received the incentive (lower-case ids).
    var awarded: [String]
    /// In a challenge's own answer; left out of lists.
    var stories: [StoryDTO]?

    static func make(
        _ challenge: Challenge, for principal: Principal, withStories: Bool, now: Date, on db: any Database
    ) async throws -> ChallengeDTO {
        let id = try challenge.requireID()
        let programIDs = try await Challenges.programs(of: id, on: db)
        let codes = Program.codes(try await Program.query(on: db).filter(\.$id ~~ programIDs).all())
        var stories: [StoryDTO]?
        if withStories {
            let rows = try await ChallengeStory.query(on: db).filter(\.$challengeID == id).sort(\.$createdAt).all()
                .filter { Challenges.canSee($0, principal) }
            stories = try await StoryDTO.make(rows, codes: codes, on: db)
        }
        return try ChallengeDTO(challenge, programs: programIDs, codes: codes, stories: stories, now: now)
    }
}

extension ChallengeDTO {
    init(_ challenge: Challenge, programs: [UUID], codes: [UUID: String], stories: [StoryDTO]?, now: Date) throws {
        self.init(
            id: try challenge.requireID(), programs: programs.compactMap { codes[$0] }.sorted(), title: challenge.title,
            prompt: challenge.prompt, incentive: challenge.incentive, startsAt: challenge.startsAt,
            endsAt: challenge.endsAt, phase: challenge.window.phase(at: now), questions: challenge.questionList,
            createdBy: challenge.createdBy, createdAt: challenge.createdAt, closedAt: challenge.closedAt,
            summary: challenge.summary, rootCauses: Vocabulary.stored(challenge.rootCauses ?? ""),
            awarded: (challenge.awarded ?? "").split(separator: ",").map(String.init), stories: stories)
    }
}

extension ChallengeDTO {
    /// The challenges running in the principal's programs, without their stories: their programs read at once.
    static func list(for principal: Principal, now: Date, on db: any Database) async throws -> [ChallengeDTO] {
        let challenges = try await Challenges.list(by: principal, on: db)
        let ids = try challenges.map { try $0.requireID() }
        let links = ids.isEmpty ? [] : try await ChallengeProgram.query(on: db).filter(\.$challengeID ~~ ids).all()
        let programs = Dictionary(grouping: links, by: \.challengeID).mapValues { $0.map(\.programID) }
        let codes = Program.codes(try await Program.query(on: db).all())
        return try challenges.map { challenge in
            try ChallengeDTO(
                challenge, programs: programs[try challenge.requireID()] ?? [], codes: codes, stories: nil, now: now)
        }
    }
}

extension StoryDTO {
    /// The stories with their threads and names, read together.
    static func make(
        _ stories: [ChallengeStory], codes: [UUID: String], on db: any Database
    ) async throws
        -> [StoryDTO]
    {
        let ids = try stories.map { try $0.requireID() }
        let entries =
            ids.isEmpty
            ? [] : try await StoryEntry.query(on: db).filter(\.$storyID ~~ ids).sort(\.$createdAt).all()
        let names = try await User.displayNames(Set(stories.map(\.repID) + entries.map(\.authorID)), on: db)
        let threads = Dictionary(grouping: entries, by: \.storyID)
        return try stories.map { story in
            let id = try story.requireID()
            return StoryDTO(
                id: id, challengeId: story.challengeID, program: codes[story.programID] ?? "", repId: story.repID,
                rep: names[story.repID] ?? "", kind: story.kind, text: story.text, contactId: story.contactID,
                momentId: story.momentID, createdAt: story.createdAt,
                thread: threads[id, default: []].map { entry in
                    Entry(
                        authorId: entry.authorID, author: names[entry.authorID] ?? "", kind: entry.kind,
                        text: entry.text, questions: entry.questions.map { $0.split(separator: "\n").map(String.init) },
                        at: entry.createdAt)
                })
        }
    }

    /// One story as the principal sees it.
    static func make(_ story: ChallengeStory, on db: any Database) async throws -> StoryDTO {
        let codes = Program.codes(try await Program.query(on: db).filter(\.$id == story.programID).all())
        return try await make([story], codes: codes, on: db)[0]
    }
}

/// Challenges' API: supervisors run them, members tell stories, the manager answers and asks, the rep reflects.
struct ChallengeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("challenges", use: list)
        routes.post("challenges", use: create)
        routes.get("challenges", ":challengeID", use: show)
        routes.post("challenges", ":challengeID", "stories", use: tell)
        routes.post("challenges", ":challengeID", "close", use: close)
        routes.post("stories", ":storyID", "answer", use: answer)
        routes.post("stories", ":storyID", "reflections", use: reflect)
        routes.post("stories", ":storyID", "nominate", use: nominate)
    }

    @Sendable func list(req: Request) async throws -> ItemPage<ChallengeDTO> {
        let principal = try req.requirePrincipal()
        return ItemPage(items: try await ChallengeDTO.list(for: principal, now: req.now, on: req.db), nextCursor: nil)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(ChallengeRequest.self)
        let challenge = try await Challenges.create(body, by: principal, now: req.now, on: req.db)
        return try await ChallengeDTO.make(challenge, for: principal, withStories: true, now: req.now, on: req.db)
            .created(at: "/api/v1/challenges/\(try challenge.requireID().lowercaseText)", for: req)
    }

    @Sendable func show(req: Request) async throws -> ChallengeDTO {
        let principal = try req.requirePrincipal()
        let challenge = try await Challenges.visible(try Self.challengeID(req), to: principal, on: req.db)
        return try await ChallengeDTO.make(challenge, for: principal, withStories: true, now: req.now, on: req.db)
    }

    @Sendable func tell(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(StoryRequest.self)
        let id = try Self.challengeID(req)
        let story = try await Challenges.tell(body, in: id, by: principal, now: req.now, on: req.db)
        return try await StoryDTO.make(story, on: req.db)
            .created(at: "/api/v1/challenges/\(id.lowercaseText)", for: req)
    }

    @Sendable func close(req: Request) async throws -> ChallengeDTO {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(ChallengeCloseRequest.self)
        let challenge = try await Challenges.close(
            body, id: try Self.challengeID(req), by: principal, now: req.now, on: req.db)
        return try await ChallengeDTO.make(challenge, for: principal, withStories: true, now: req.now, on: req.db)
    }

    @Sendable func answer(req: Request) async throws -> StoryDTO {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(StoryAnswerRequest.self)
        let story = try await Challenges.answer(
            body, to: try Self.storyID(req), by: principal, now: req.now, on: req.db, events: req.application.events)
        return try await StoryDTO.make(story, on: req.db)
    }

    @Sendable func reflect(req: Request) async throws -> StoryDTO {
        let principal = try req.requirePrincipal()
        let body = try req.decodeStrict(StoryReflectionRequest.self)
        let story = try await Challenges.reflect(
            body, on: try Self.storyID(req), by: principal, now: req.now, on: req.db)
        return try await StoryDTO.make(story, on: req.db)
    }

    /// Nominates the story as a moment; answers the moment.
    @Sendable func nominate(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let moment = try await Challenges.nominate(try Self.storyID(req), by: principal, now: req.now, on: req.db)
        return try await MomentDTO.make(moment, for: principal, now: req.now, on: req.db)
            .created(at: "/api/v1/moments/\(try moment.requireID().lowercaseText)", for: req)
    }

    private static func challengeID(_ req: Request) throws -> UUID {
        try req.uuidParameter("challengeID", "Challenge")
    }

    private static func storyID(_ req: Request) throws -> UUID {
        try req.uuidParameter("storyID", "Story")
    }
}
