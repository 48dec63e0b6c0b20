import DaymakerCore
import Fluent
import Foundation

/// What cannot be done with a challenge or a story now.
enum ChallengeError: DomainError, Equatable {
    case notRunning(ChallengeWindow.Phase)
    case closed
    case othersPrograms
    case notYourStory
    case noQuestionsYet
    case hardContactIsNotAMoment
    case nominatedAlready
    case sharedAlready

    var kind: DomainErrorKind {
        switch self {
        case .othersPrograms, .notYourStory: .forbidden
        default: .conflict
        }
    }

    var description: String {
        switch self {
        case .notRunning(let phase): "This challenge takes stories while it runs; it is \(phase.rawValue)."
        case .closed: "This challenge is closed."
        case .othersPrograms: "This challenge runs in programs you do not supervise."
        case .notYourStory: "Only the rep who told the story answers its questions."
        case .noQuestionsYet: "No follow-up questions were sent for this story yet."
        case .hardContactIsNotAMoment: "A hard contact stays between the rep and supervisors; it is not a moment."
        case .nominatedAlready: "This story was nominated as a moment already."
        case .sharedAlready: "You shared this contact as a story already."
        }
    }
}

/// Challenges: a manager prompts some programs' reps to make someone's day in a window of time; reps tell stories
/// (or a hard contact); the manager answers each and sends follow-up questions, the rep reflects; closing records
/// who received the incentive and what the company could have done differently. Members of a challenge's programs
/// see it; a hard contact only its rep and supervisors.
enum Challenges {
    /// A supervisor starts a challenge in programs they see.
    static func create(
        _ body: ChallengeRequest, by principal: Principal, now: Date, on db: any Database
    ) async throws -> Challenge {
        var programs: [Program] = []
        for code in Set(body.programs) {
            programs.append(try await Program.visible(code: code, to: principal, on: db))
        }
        try principal.require(.supervisor)
        var errors = FieldValidator()
        errors.check(!programs.isEmpty, "programs", "name at least one program")
        let title = errors.text(body.title, "title", maxLength: 200)
        let prompt = errors.text(body.prompt, "prompt", maxLength: 4000)
        let incentive = errors.text(body.incentive, "incentive", required: false, maxLength: 500)
        errors.check(body.startsAt < body.endsAt, "endsAt", "must be after startsAt")
        errors.check(body.endsAt > now, "endsAt", "must be in the future")
        let questions = FollowUpQuestions.checked(body.questions, field: "questions", into: &errors)
        try errors.finish()
        let challenge = Challenge()
        challenge.id = UUID(timeOrderedAt: now)
        challenge.title = title ?? ""
        challenge.prompt = prompt ?? ""
        challenge.incentive = incentive
        challenge.startsAt = body.startsAt
        challenge.endsAt = body.endsAt
        challenge.questions = (questions ?? FollowUpQuestions.standard).joined(separator: "\n")
        challenge.createdBy = principal.userID
        challenge.createdAt = now
        let programIDs = try programs.map { try $0.requireID() }
        return try await db.writeTransaction { db in
            try await challenge.create(on: db)
            let id = try challenge.requireID()
            for program in programIDs { try await ChallengeProgram(challenge: id, program: program).create(on: db) }
            try await AuditEntry.record(
                on: db, at: now, actor: principal.userID, action: "challenge.created", recordType: "challenge",
                recordID: id, programID: programIDs.first)
            return challenge
        }
    }

    /// The challenges running in the principal's programs, newest first.
    static func list(by principal: Principal, on db: any Database) async throws -> [Challenge] {
        let query = Challenge.query(on: db).sort(\.$startsAt, .descending).limit(100)
        if let programs = principal.visiblePrograms {
            let ids = try await ChallengeProgram.query(on: db).filter(\.$programID ~~ Array(programs))
                .all(\.$challengeID)
            query.filter(\.$id ~~ Array(Set(ids)))
        }
        return try await query.all()
    }

    /// The challenge running now in the program that ends soonest, if any: where a contact is told as a story.
    static func running(in programID: UUID, at now: Date, on db: any Database) async throws -> Challenge? {
        let ids = try await ChallengeProgram.query(on: db).filter(\.$programID == programID).all(\.$challengeID)
        guard !ids.isEmpty else { return nil }
        return try await Challenge.query(on: db).filter(\.$id ~~ ids).filter(\.$closedAt == nil)
            .filter(\.$startsAt <= now).filter(\.$endsAt > now).sort(\.$endsAt).first()
    }

    /// The programs a challenge runs in.
    static func programs(of id: UUID, on db: any Database) async throws -> [UUID] {
        try await ChallengeProgram.query(on: db).filter(\.$challengeID == id).all(\.$programID)
    }

    /// The challenge if it runs in a program the principal sees, else 404.
    static func visible(_ id: UUID, to principal: Principal, on db: any Database) async throws -> Challenge {
        guard let challenge = try await Challenge.find(id, on: db),
            try await programs(of: id, on: db).contains(where: principal.canSee(program:))
        else { throw NotFound("Challenge") }
        return challenge
    }

    /// Whether the principal sees the story: its rep, supervisors of its program, and for a day made (not a hard
    /// contact) every member of its program.
    static func canSee(_ story: ChallengeStory, _ principal: Principal) -> Bool {
        guard principal.canSee(program: story.programID) else { return false }
        return story.kind == .story || story.repID == principal.userID || principal.role >= .supervisor
    }

    /// The story if the principal may see it, else 404.
    static func story(_ id: UUID, to principal: Principal, on db: any Database) async throws -> ChallengeStory {
        guard let story = try await ChallengeStory.find(id, on: db), canSee(story, principal) else {
            throw NotFound("Story")
        }
        return story
    }

    /// A member of one of the challenge's programs tells a story while it runs, optionally about one of the
    /// program's contacts.
    static func tell(
        _ body: StoryRequest, in id: UUID, by principal: Principal, now: Date, on db: any Database
    ) async throws -> ChallengeStory {
        let challenge = try await visible(id, to: principal, on: db)
        let programs = try await programs(of: id, on: db)
        var errors = FieldValidator()
        let text = errors.text(body.text, "text", maxLength: 4000)
        var program = programs.first { principal.programIDs.contains($0) } ?? (principal.isAdmin ? programs.first : nil)
        if let contactID = body.contactId {
            let contact = try await Contact.find(contactID, on: db)
            if let contact, programs.contains(contact.$program.id), principal.canSee(program: contact.$program.id) {
                program = contact.$program.id
            } else {
                errors.add("contactId", "is not a contact of this challenge's programs")
            }
        }
        errors.check(program != nil, "program", "you are not a member of this challenge's programs")
        try errors.finish()
        let phase = challenge.window.phase(at: now)
        guard phase == .running else { throw ChallengeError.notRunning(phase) }
        let story = ChallengeStory()
        story.id = UUID(timeOrderedAt: now)
        story.challengeID = id
        story.programID = program!
        story.repID = principal.userID
        story.kind = body.kind ?? .story
        story.text = text ?? ""
        story.contactID = body.contactId
        story.createdAt = now
        try await story.create(on: db)
        return story
    }

    /// A supervisor of the story's program answers it and sends follow-up questions (by default the challenge's,
    /// or the supportive ones for a hard contact); the rep finds it on their desk.
    static func answer(
        _ body: StoryAnswerRequest, to id: UUID, by principal: Principal, now: Date, on db: any Database,
        events: Events
    ) async throws -> ChallengeStory {
        let story = try await story(id, to: principal, on: db)
        try principal.require(.supervisor)
        guard let challenge = try await Challenge.find(story.challengeID, on: db) else { throw NotFound("Challenge") }
        guard challenge.closedAt == nil else { throw ChallengeError.closed }
        var errors = FieldValidator()
        let text = errors.text(body.text, "text", maxLength: 4000)
        let questions =
            FollowUpQuestions.checked(body.questions, field: "questions", into: &errors)
            ?? (story.kind == .hardContact ? FollowUpQuestions.hardContact : challenge.questionList)
        try errors.finish()
        let entry = StoryEntry(
            story: id, author: principal.userID, kind: .answer, text: text ?? "", questions: questions, at: now)
        try await db.writeTransaction { db in
            try await entry.create(on: db)
            if story.repID != principal.userID {
                try await RepMessage(
                    program: story.programID, to: story.repID, from: principal.userID,
                    text:
                        "\(challenge.title): \(text ?? "") — \(questions.count) question(s) for you on the challenge.",
                    contact: story.contactID, at: now
                ).create(on: db)
            }
        }
        if story.repID != principal.userID { await events.publish(.messageLeft(story.repID), on: db) }
        return story
    }

    /// The story's rep answers the follow-up questions sent.
    static func reflect(
        _ body: StoryReflectionRequest, on id: UUID, by principal: Principal, now: Date, on db: any Database
    ) async throws -> ChallengeStory {
        let story = try await story(id, to: principal, on: db)
        guard story.repID == principal.userID else { throw ChallengeError.notYourStory }
        var errors = FieldValidator()
        let text = errors.text(body.text, "text", maxLength: 4000)
        try errors.finish()
        let asked = try await StoryEntry.query(on: db).filter(\.$storyID == id).filter(\.$kind == .answer).count()
        guard asked > 0 else { throw ChallengeError.noQuestionsYet }
        try await StoryEntry(story: id, author: principal.userID, kind: .reflection, text: text ?? "", at: now)
            .create(on: db)
        return story
    }

    /// Nominates a day-made story as a moment (its rep or a supervisor), once.
    static func nominate(
        _ id: UUID, by principal: Principal, now: Date, on db: any Database
    ) async throws -> Moment {
        let story = try await story(id, to: principal, on: db)
        guard story.repID == principal.userID || principal.role >= .supervisor else {
            throw ChallengeError.notYourStory
        }
        guard story.kind == .story else { throw ChallengeError.hardContactIsNotAMoment }
        guard let program = try await Program.find(story.programID, on: db) else { throw NotFound("Program") }
        return try await db.writeTransaction { db in
            try await db.lockRow(in: ChallengeStory.schema, id: id)
            guard let current = try await ChallengeStory.find(id, on: db), current.momentID == nil else {
                throw ChallengeError.nominatedAlready
            }
            var channel: Contact.Channel?
            if let contact = current.contactID { channel = try await Contact.find(contact, on: db)?.channel }
            let moment = try await Moments.nominate(
                MomentRequest(
                    program: program.code, contactId: current.contactID,
                    repId: current.contactID == nil ? current.repID : nil,
                    channel: current.contactID == nil ? (channel ?? .voice) : nil,
                    littleExtra: String(current.text.prefix(2000))),
                by: principal, now: now, on: db)
            current.momentID = try moment.requireID()
            try await current.save(on: db)
            return moment
        }
    }

    /// The root causes a challenge's closing may name: the defaults and every addition of its programs.
    static func rootCauses(of programs: [UUID], on db: any Database) async throws -> Vocabulary {
        RootCause.vocabulary(extras: try await Program.query(on: db).filter(\.$id ~~ programs).all().map(\.rootCauses))
    }

    /// A supervisor who sees every program of the challenge closes it: who received the incentive, what the company
    /// could have done differently, and its root causes. Once.
    static func close(
        _ body: ChallengeCloseRequest, id: UUID, by principal: Principal, now: Date, on db: any Database
    ) async throws -> Challenge {
        _ = try await visible(id, to: principal, on: db)
        try principal.require(.supervisor)
        let programs = try await programs(of: id, on: db)
        guard programs.allSatisfy(principal.canSee(program:)) else { throw ChallengeError.othersPrograms }
        var errors = FieldValidator()
        let summary = errors.text(body.summary, "summary", maxLength: 4000)
        let awarded = Array(Set(body.awarded ?? []))
        let causes = try await rootCauses(of: programs, on: db)
            .chosen(body.rootCauses ?? [], field: "rootCauses", into: &errors)
        try errors.finish()
        for rep in awarded {
            let member = try await ProgramMembership.query(on: db).filter(\.$user.$id == rep)
                .filter(\.$program.$id ~~ programs).count()
            guard member > 0 else {
                throw ValidationFailure(field: "awarded", "must be members of the challenge's programs")
            }
        }
        return try await db.writeTransaction { db in
            try await db.lockRow(in: Challenge.schema, id: id)
            guard let challenge = try await Challenge.find(id, on: db) else { throw NotFound("Challenge") }
            guard challenge.closedAt == nil else { throw ChallengeError.closed }
            challenge.closedAt = now
            challenge.closedBy = principal.userID
            challenge.summary = summary
            challenge.rootCauses = causes.joined(separator: ",")
            challenge.awarded = awarded.map(\.lowercaseText).sorted().joined(separator: ",")
            try await challenge.save(on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: principal.userID, action: "challenge.closed", recordType: "challenge",
                recordID: id, programID: programs.first)
            return challenge
        }
    }
}
