import DaymakerCore
import Fluent
import Foundation

/// A program's connection to an outside service (its Twilio account, its SMS webhook): one row per program
/// (`program_id`, unique), whose secret is stored sealed and never shown back. Finding and removing one is the same
/// for every kind; removing is audited as `{auditName}.removed`.
protocol ProgramConnection: Model where IDValue == UUID {
    /// `twilio`, `sms-webhook`: how audit entries and messages name it.
    static var auditName: String { get }
    /// "The Twilio account", "The SMS webhook".
    static var title: String { get }
}

extension ProgramConnection {
    static func find(programID: UUID, on db: any Database) async throws -> Self? {
        try await query(on: db).filter("program_id", .equal, programID).first()
    }

    static func remove(programID: UUID, actor: UUID, now: Date, on db: any Database) async throws {
        try await db.writeTransaction { db in
            guard let connection = try await find(programID: programID, on: db) else {
                throw NotFound("\(title) of this program")
            }
            try await connection.delete(on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: actor, action: "\(auditName).removed", recordType: "program",
                recordID: programID, programID: programID)
        }
    }
}
