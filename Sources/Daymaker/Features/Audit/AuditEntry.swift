import Fluent
import Foundation
import SQLKit

/// Who did what to which record, and when. Written for sign-ins, permission changes, tokens and exports.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(key: .id) var id: UUID?
    /// Nil for actions without a signed-in user (a failed sign-in for an unknown address).
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "action") var action: String
    @Field(key: "record_type") var recordType: String
    @OptionalField(key: "record_id") var recordID: UUID?
    @OptionalField(key: "program_id") var programID: UUID?
    /// Short, personal-data-free description ("role rep → supervisor").
    @Field(key: "detail") var detail: String
    @Field(key: "at") var at: Date

    init() {}

    init(
        actorID: UUID?, action: String, recordType: String, recordID: UUID?, programID: UUID? = nil,
        detail: String = "", at: Date
    ) {
        self.actorID = actorID
        self.action = action
        self.recordType = recordType
        self.recordID = recordID
        self.programID = programID
        self.detail = detail
        self.at = at
    }
}

extension AuditEntry {
    /// Writes one audit entry.
    static func record(
        on db: any Database, at now: Date, actor: UUID?, action: String, recordType: String, recordID: UUID?,
        programID: UUID? = nil, detail: String = ""
    ) async throws {
        try await record(
            on: try db.sqlDatabase, at: now, actor: actor, action: action, recordType: recordType, recordID: recordID,
            programID: programID, detail: detail)
    }

    /// The same among a transaction's statements (see `SQLiteWriter`).
    static func record(
        on sql: any SQLDatabase, at now: Date, actor: UUID?, action: String, recordType: String, recordID: UUID?,
        programID: UUID? = nil, detail: String = ""
    ) async throws {
        let entry = AuditEntry(
            actorID: actor, action: action, recordType: recordType, recordID: recordID, programID: programID,
            detail: detail, at: now)
        entry.id = UUID()
        try await sql.insert(into: schema).fluentModel(entry).run()
    }
}
