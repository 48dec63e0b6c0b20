import DaymakerCore
import Fluent
import Foundation

extension Program {
    /// The program with this code (any case).
    static func find(code: String, on db: any Database) async throws -> Program? {
        try await Program.query(on: db).filter(\.$code == code.uppercased()).first()
    }

    /// The program a command line names with `--program` (`field`), or why not.
    static func named(_ code: String?, field: String = "program", on db: any Database) async throws -> Program {
        guard let code = code?.nilIfBlank else {
            throw ValidationFailure(field: field, "is required: the program's code")
        }
        guard let program = try await find(code: code, on: db) else {
            throw ValidationFailure(field: field, "no program has the code '\(code)'")
        }
        return program
    }

    /// The program with this code if the principal may see it; otherwise a 404 problem (never a 403).
    static func visible(code: String, to principal: Principal, on db: any Database) async throws -> Program {
        guard let program = try await find(code: code, on: db), let id = program.id,
            principal.canSee(program: id)
        else { throw NotFound("Program '\(code)'") }
        return program
    }

    /// The same, read through the short-lived program cache: for what asks on every request (contact events).
    static func visible(
        code: String, to principal: Principal, cache: RecognitionContextCache, now: Date, on db: any Database
    ) async throws -> Program {
        guard let context = try await cache.context(code: code, on: db, now: now), principal.canSee(program: context.id)
        else { throw NotFound("Program '\(code)'") }
        return context.program
    }

    /// The programs' codes by id, to name programs in answers.
    static func codes(_ programs: [Program]) -> [UUID: String] {
        Dictionary(
            programs.compactMap { program in program.id.map { ($0, program.code) } }, uniquingKeysWith: { a, _ in a })
    }

    /// Programs the principal may see, ordered by code.
    static func visible(to principal: Principal, on db: any Database) async throws -> [Program] {
        let query = Program.query(on: db).sort(\.$code)
        if let ids = principal.visiblePrograms { query.filter(\.$id ~~ Array(ids)) }
        return try await query.all()
    }

    /// The program a settings page names if the principal sees it, else the principal's first program.
    static func chosen(_ code: String?, by principal: Principal, on db: any Database) async throws -> Program {
        if let code = code?.nilIfBlank { return try await Program.visible(code: code, to: principal, on: db) }
        guard let first = try await Program.visible(to: principal, on: db).first else {
            throw AccessError.noProgram
        }
        return first
    }
}
