import DaymakerCore
import Fluent
import Foundation
import SQLKit

/// Declaring, updating and resolving incidents, from the pages, the API and the command line alike (the web UI
/// may be what is down for the supervisor). Every change is one write transaction with its history entry and
/// its audit entries, one per program it touches.
enum Incidents {
    /// The channels an incident puts in disruption: every channel when none is named.
    static func channels(_ raw: [String]?, field: String = "channels") throws(ValidationFailure) -> [Contact.Channel] {
        guard let raw, !raw.isEmpty else { return Contact.Channel.allCases }
        var channels: [Contact.Channel] = []
        var v = FieldValidator()
        for (index, name) in raw.enumerated() {
            guard let channel = Contact.Channel(rawValue: name)
            else {
                v.add(
                    "\(field)[\(index)]",
                    "'\(name)' is not a channel: use \(Contact.Channel.allCases.map(\.rawValue).joined(separator: ", "))"
                )
                continue
            }
            if !channels.contains(channel) { channels.append(channel) }
        }
        try v.finish()
        return channels
    }

    /// A declaration as a supervisor sends it (the API's body, the page's form), checked whole: every field's
    /// mistake at once, then each program named must be one they see (404 otherwise). No channel named means
    /// every channel, unless `channelsRequired` (a form's unticked boxes are a mistake, not "all").
    static func declaration(
        programs codes: [String], title: String?, publicMessage: String?, ivrMessage: String?, emailReply: String?,
        channels names: [String]?, channelsRequired: Bool = false, by principal: Principal, on db: any Database
    ) async throws -> (programs: [Program], messages: IncidentMessages, channels: [Contact.Channel]) {
        var v = FieldValidator()
        if v.count(codes, "programs", max: 100, "programs"), codes.isEmpty {
            v.add("programs", "at least one program is required")
        }
        if channelsRequired, names?.isEmpty ?? true { v.add("channels", "at least one channel is required") }
        let messages = Result { () throws(ValidationFailure) in
            try IncidentMessages(
                title: title, publicMessage: publicMessage, ivrMessage: ivrMessage, emailReply: emailReply)
        }
        let channels = Result { () throws(ValidationFailure) in try Incidents.channels(names) }
        for case .failure(let failure) in [messages.map { _ in () }, channels.map { _ in () }] {
            for error in failure.errors { v.add(error.field, error.detail) }
        }
        try v.finish()
        var programs: [Program] = []
        for code in codes { programs.append(try await Program.visible(code: code, to: principal, on: db)) }
        return (programs, try messages.get(), try channels.get())
    }

    /// The incident, for a supervisor who may change it: one who sees every program it touches (changing it
    /// changes what customers of each hear). 404 when they see none of them, 403 when only some.
    static func changeable(_ id: UUID, by principal: Principal, on db: any Database) async throws -> Incident {
        let incident = try await find(id, within: principal.visiblePrograms, on: db)
        try principal.require(.supervisor)
        guard incident.programs.allSatisfy({ principal.canSee(program: $0.programID) }) else {
            throw IncidentError.othersPrograms
        }
        return incident
    }

    /// Declares an incident for `programs` (at least one).
    static func declare(
        programs: [Program], messages: IncidentMessages, channels: [Contact.Channel], by actor: UUID?, now: Date,
        on db: any Database
    ) async throws -> Incident {
        guard !programs.isEmpty else { throw ValidationFailure(field: "programs", "name at least one program") }
        let incident = Incident()
        incident.id = UUID(timeOrderedAt: now)
        incident.set(messages)
        incident.channelList = channels.map(\.rawValue).joined(separator: ",")
        incident.declaredAt = now
        incident.declaredBy = actor
        incident.updatedAt = now
        let id = incident.id!
        let programIDs = Array(Set(programs.map { $0.id! }))
        try await db.writeTransaction { db in
            try await incident.create(on: db)
            for program in programIDs { try await IncidentProgram(incident: id, program: program).create(on: db) }
            try await IncidentUpdate(
                incident: id, seq: 1, kind: .declared, message: messages.publicMessage, at: now, author: actor
            )
            .create(on: db)
            try await audit("incident.declared", id, programIDs, actor: actor, now: now, detail: messages.title, on: db)
        }
        return incident
    }

    /// Posts an update to an active incident, replacing its messages with `messages` when given.
    static func post(
        _ text: String, messages: IncidentMessages?, to incident: Incident, by actor: UUID?, now: Date,
        on db: any Database
    ) async throws {
        let id = try incident.requireID()
        try await db.writeTransaction { db in
            let programs = try await claimActive(id, now: now, on: db)
            if let messages {
                try await Incident.query(on: db).filter(\.$id == id)
                    .set(\.$title, to: messages.title).set(\.$publicMessage, to: messages.publicMessage)
                    .set(\.$ivrMessage, to: messages.ivrMessage).set(\.$emailReply, to: messages.emailReply)
                    .update()
            }
            try await record(.updated, text, on: id, by: actor, now: now, on: db)
            try await audit("incident.updated", id, programs, actor: actor, now: now, on: db)
        }
    }

    /// Resolves an active incident with a last public update.
    static func resolve(
        _ incident: Incident, message: String?, by actor: UUID?, now: Date, on db: any Database
    ) async throws {
        let id = try incident.requireID()
        let text = message ?? "Service has been restored. Thank you for your patience."
        try await db.writeTransaction { db in
            let programs = try await claimActive(id, now: now, on: db)
            try await Incident.query(on: db).filter(\.$id == id)
                .set(\.$resolvedAt, to: now).set(\.$resolvedBy, to: actor).update()
            try await record(.resolved, text, on: id, by: actor, now: now, on: db)
            try await audit("incident.resolved", id, programs, actor: actor, now: now, on: db)
        }
    }

    /// Marks the incident changed if it is still active, in one statement (so of two resolving at once, one
    /// wins), and returns its programs; 409 when it was resolved already.
    private static func claimActive(_ id: UUID, now: Date, on db: any Database) async throws -> [UUID] {
        let claimed = try await db.sqlDatabase.raw(
            """
            UPDATE incidents SET updated_at = \(bind: now) WHERE id = \(bind: id) AND resolved_at IS NULL
            RETURNING id
            """
        ).all()
        guard !claimed.isEmpty else { throw IncidentError.resolved }
        return try await IncidentProgram.query(on: db).filter(\.$incident.$id == id).all(\.$programID)
    }

    /// The next entry of an incident's history (its row is held by `claimActive` until the transaction ends).
    private static func record(
        _ kind: IncidentUpdate.Kind, _ text: String, on incident: UUID, by actor: UUID?, now: Date,
        on db: any Database
    ) async throws {
        let last = try await IncidentUpdate.query(on: db).filter(\.$incident.$id == incident).max(\.$seq) ?? 0
        try await IncidentUpdate(incident: incident, seq: last + 1, kind: kind, message: text, at: now, author: actor)
            .create(on: db)
    }

    private static func audit(
        _ action: String, _ id: UUID, _ programs: [UUID], actor: UUID?, now: Date, detail: String = "",
        on db: any Database
    ) async throws {
        for program in programs {
            try await AuditEntry.record(
                on: db, at: now, actor: actor, action: action, recordType: "incident", recordID: id,
                programID: program, detail: detail)
        }
    }

    /// The incident with its programs and history, if it touches a program `programs` holds (nil: any).
    static func find(_ id: UUID, within programs: Set<UUID>?, on db: any Database) async throws -> Incident {
        guard
            let incident = try await Incident.query(on: db).filter(\.$id == id).with(\.$programs).with(\.$updates)
                .first(),
            programs.map({ visible in incident.programs.contains { visible.contains($0.programID) } }) ?? true
        else { throw NotFound("Incident") }
        return incident
    }

    enum State: String, ClosedSet, Sendable { case active, resolved, all }

    /// The latest incidents touching `programs` (nil: any), newest first, with their programs and history.
    static func list(
        within programs: Set<UUID>?, state: State, limit: Int, on db: any Database
    ) async throws -> [Incident] {
        let query = Incident.query(on: db).with(\.$programs).with(\.$updates)
            .sort(\.$declaredAt, .descending).sort(\.$id, .descending).limit(limit)
        switch state {
        case .active: query.filter(\.$resolvedAt == nil)
        case .resolved: query.filter(\.$resolvedAt != nil)
        case .all: break
        }
        if let programs {
            let ids = try await IncidentProgram.query(on: db).filter(\.$programID ~~ Array(programs))
                .all(\.$incident.$id)
            query.filter(\.$id ~~ Array(Set(ids)))
        }
        return try await query.all()
    }

    /// The active incidents of the principal's programs, for the banner on every page (none when signed out).
    static func banners(
        for principal: Principal?, on db: any Database
    ) async throws -> [PageBanner] {
        guard let principal else { return [] }
        let programs = principal.visiblePrograms
        if let programs, programs.isEmpty { return [] }
        let query = Incident.query(on: db).filter(\.$resolvedAt == nil).with(\.$programs)
            .sort(\.$declaredAt, .descending).limit(20)
        if let programs {
            let ids = try await IncidentProgram.query(on: db).filter(\.$programID ~~ Array(programs))
                .all(\.$incident.$id)
            guard !ids.isEmpty else { return [] }
            query.filter(\.$id ~~ ids)
        }
        let incidents = try await query.all()
        guard !incidents.isEmpty else { return [] }
        let codes = Program.codes(try await Program.query(on: db).all())
        return incidents.map { incident in
            .init(
                title: incident.title, message: incident.publicMessage,
                programs: incident.programs.filter { principal.canSee(program: $0.programID) }
                    .compactMap { codes[$0.programID] }.sorted().joined(separator: ", "))
        }
    }

    /// The incident a program's customers hear about on `channel` now: the latest active one covering it.
    /// Whether an incident is active in the program, on any channel.
    static func isActive(program: UUID, on db: any Database) async throws -> Bool {
        let ids = try await IncidentProgram.query(on: db).filter(\.$programID == program).all(\.$incident.$id)
        guard !ids.isEmpty else { return false }
        return try await Incident.query(on: db).filter(\.$id ~~ ids).filter(\.$resolvedAt == nil).count() > 0
    }

    static func current(program: UUID, channel: Contact.Channel, on db: any Database) async throws -> Incident? {
        let ids = try await IncidentProgram.query(on: db).filter(\.$programID == program).all(\.$incident.$id)
        guard !ids.isEmpty else { return nil }
        return try await Incident.query(on: db).filter(\.$id ~~ ids).filter(\.$resolvedAt == nil)
            .sort(\.$declaredAt, .descending).all()
            .first { $0.channels.contains(channel) }
    }
}
