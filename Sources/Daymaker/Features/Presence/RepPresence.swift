import DaymakerCore
import Fluent
import Foundation
import Vapor

/// Setting and reading reps' presence and shifts.
enum RepPresence {
    /// The rep sets themselves available, away or offline; a supervisor who shares a program with the rep may
    /// set them away or offline (a rep who walked off), never available. `busy` and `wrap-up` follow contacts.
    static func choose(
        _ state: Presence, for user: User, by principal: Principal, now: Date, on db: any Database
    ) async throws -> PresenceRecord {
        guard state.isChosen else {
            throw ValidationFailure(
                field: "state", "\(state.rawValue) follows the rep's contacts; choose available, away or offline")
        }
        let userID = try user.requireID()
        if userID != principal.userID {
            try principal.require(.supervisor)
            if state == .available { throw PresenceError.onlyTheRepMakesThemselvesAvailable }
        }
        guard user.active else { throw ValidationFailure(field: "state", "the user is deactivated") }
        return try await set(state, userID: userID, by: principal.userID, until: nil, now: now, on: db)
    }

    /// Tells the desks about a chosen presence, and offers waiting contacts to a rep who became available.
    static func announce(_ userID: UUID, became state: Presence, app: Application, now: Date) async throws {
        await app.events.publish(.presenceChanged(userID), on: app.db)
        guard state == .available else { return }
        for program in try await ProgramMembership.query(on: app.db).filter(\.$user.$id == userID).all(\.$program.$id) {
            try await Router.route(programID: program, now: now, events: app.events, on: app.db)
        }
    }

    /// Stores a presence and its change; the same state again changes nothing (and logs nothing).
    static func set(
        _ state: Presence, userID: UUID, by changedBy: UUID?, until: Date?, now: Date, on db: any Database
    ) async throws -> PresenceRecord {
        try await db.writeTransaction { db in
            let record = try await PresenceRecord.query(on: db).filter(\.$user.$id == userID).first()
            if let record, record.state == state, record.until == until { return record }
            let current = record ?? PresenceRecord()
            current.$user.id = userID
            current.state = state
            current.since = now
            current.until = until
            try await current.save(on: db)
            try await PresenceChange(user: userID, state: state, at: now, changedBy: changedBy).create(on: db)
            return current
        }
    }

    /// The program's active members with their presence (offline when never set) and shifts, by display name.
    static func board(_ program: Program, on db: any Database) async throws -> [(User, PresenceRecord?, ShiftPlan)] {
        let programID = try program.requireID()
        let users = try await User.activeMembers(of: programID, on: db)
        let ids = try users.map { try $0.requireID() }
        let presence = try await PresenceRecord.query(on: db).filter(\.$user.$id ~~ ids).all()
        let byUser = Dictionary(presence.map { ($0.$user.id, $0) }, uniquingKeysWith: { first, _ in first })
        let shifts = try await RepShift.query(on: db).filter(\.$program.$id == programID).filter(\.$user.$id ~~ ids)
            .all()
        let shiftsByUser = Dictionary(grouping: shifts, by: { $0.$user.id })
        return try users.map { user in
            let id = try user.requireID()
            return (user, byUser[id], ShiftPlan(shifts: (shiftsByUser[id] ?? []).map(\.shift), timeZone: program.zone))
        }
    }

    /// A rep's weekly shifts in a program.
    static func shifts(of userID: UUID, in program: Program, on db: any Database) async throws -> ShiftPlan {
        let shifts = try await RepShift.query(on: db).filter(\.$user.$id == userID)
            .filter(\.$program.$id == program.requireID()).sort(\.$weekday).sort(\.$start).all()
        return ShiftPlan(shifts: shifts.map(\.shift), timeZone: program.zone)
    }

    /// Replaces a rep's weekly shifts in a program (a supervisor's work).
    static func replaceShifts(
        _ shifts: [ShiftPlan.Shift], of user: User, in program: Program, by principal: Principal, now: Date,
        on db: any Database
    ) async throws {
        try principal.require(.supervisor)
        let userID = try user.requireID()
        let programID = try program.requireID()
        try await ProgramMembership.requireActiveMember(userID, of: programID, field: "userId", on: db)
        var v = FieldValidator()
        for (index, shift) in shifts.enumerated() {
            if let problem = shift.problem { v.add("shifts[\(index)]", problem) }
        }
        v.check(shifts.count <= 28, "shifts", "a week holds at most 28 shifts")
        try v.finish()
        try await db.writeTransaction { db in
            try await RepShift.query(on: db).filter(\.$user.$id == userID).filter(\.$program.$id == programID)
                .delete()
            for shift in shifts {
                let row = RepShift()
                row.$user.id = userID
                row.$program.id = programID
                row.weekday = shift.weekday
                row.start = shift.start
                row.end = shift.end
                try await row.create(on: db)
            }
            try await AuditEntry.record(
                on: db, at: now, actor: principal.userID, action: "shifts.changed", recordType: "user",
                recordID: userID, programID: programID, detail: "\(shifts.count) shift(s)")
        }
    }
}

enum PresenceError: DomainError, Equatable {
    case onlyTheRepMakesThemselvesAvailable

    var kind: DomainErrorKind { .forbidden }

    var description: String {
        switch self {
        case .onlyTheRepMakesThemselvesAvailable:
            "Only the rep can make themselves available; a supervisor may set them away or offline."
        }
    }
}
