import DaymakerCore
import Fluent
import Vapor

/// A program's words for what it counts: behaviour tags on moments and root causes in challenge summaries (and, with
/// the insights, in surveys), each the shared defaults first and then the program's own additions.
struct VocabularyDTO: Content, Equatable {
    var momentTags: [String]
    var rootCauses: [String]
    /// The program's own tags (what `PUT` changes).
    var extraMomentTags: [String]
    /// The program's own root causes.
    var extraRootCauses: [String]

    init(_ program: Program) {
        let tags = program.momentTagVocabulary
        let causes = program.rootCauseVocabulary
        momentTags = tags.all
        rootCauses = causes.all
        extraMomentTags = tags.extras
        extraRootCauses = causes.extras
    }
}

/// The program's own additions; a list left out stays as it is. Removing a word keeps it on the records that
/// carry it (and in the library's filter); only new ones can no longer choose it.
struct VocabularyRequest: Content {
    var extraMomentTags: [String]?
    var extraRootCauses: [String]?
}

extension Program {
    /// The root causes its challenges (and surveys) may name.
    var rootCauseVocabulary: Vocabulary { RootCause.vocabulary(extras: [rootCauses]) }

    /// A supervisor of the program (or an admin) changes its additions; audited with what they now are.
    func saveVocabulary(
        _ body: VocabularyRequest, by principal: Principal, now: Date, on db: any Database
    ) async throws {
        try principal.require(.supervisor)
        var errors = FieldValidator()
        let tags = body.extraMomentTags.map {
            Vocabulary.extras($0, defaults: MomentTag.allCases.map(\.rawValue), field: "extraMomentTags", into: &errors)
        }
        let causes = body.extraRootCauses.map {
            Vocabulary.extras($0, defaults: RootCause.allCases.map(\.rawValue), field: "extraRootCauses", into: &errors)
        }
        try errors.finish()
        if let tags { momentTags = tags.joined(separator: ",") }
        if let causes { rootCauses = causes.joined(separator: ",") }
        try await db.writeTransaction { db in
            try await self.save(on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: principal.userID, action: "program.vocabulary-changed", recordType: "program",
                recordID: self.id, programID: self.id, detail: "tags: \(self.momentTags); causes: \(self.rootCauses)")
        }
    }
}

/// `GET`/`PUT /api/v1/programs/{id}/vocabulary`: members read it; its supervisors change the additions.
struct VocabularyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("programs", ":programID", "vocabulary", use: show)
        routes.put("programs", ":programID", "vocabulary", use: update)
    }

    @Sendable func show(req: Request) async throws -> VocabularyDTO {
        VocabularyDTO(try await ProgramController.visibleProgram(req, try req.requirePrincipal()))
    }

    @Sendable func update(req: Request) async throws -> VocabularyDTO {
        let principal = try req.requirePrincipal()
        let program = try await ProgramController.visibleProgram(req, principal)
        try principal.require(.supervisor)
        let body = try req.decodeStrict(VocabularyRequest.self)
        try await program.saveVocabulary(body, by: principal, now: req.now, on: req.db)
        return VocabularyDTO(program)
    }
}
