import DaymakerCore
import Fluent
import Foundation

/// A program's recognition settings, stored as JSON so new thresholds need no migration.
final class RecognitionSettingsRecord: Model, @unchecked Sendable {
    static let schema = "recognition_settings"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "settings") var settingsJSON: String
    @OptionalField(key: "updated_by_id") var updatedByID: UUID?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    /// Fields added after the settings were saved fall back to their defaults.
    var settings: RecognitionSettings {
        (try? JSONDecoder().decode(RecognitionSettings.self, from: Data(settingsJSON.utf8))) ?? .defaults
    }
}

extension RecognitionSettings {
    /// The program's settings, or the defaults when none were saved.
    static func load(programID: UUID, on db: any Database) async throws -> RecognitionSettings {
        try await RecognitionSettingsRecord.query(on: db).filter(\.$programID == programID).first()?.settings
            ?? .defaults
    }

    /// Saves the program's settings (validated) and audits the change.
    func save(programID: UUID, actor: UUID, now: Date, on db: any Database) async throws {
        let valid = try validated()
        let json = String(decoding: try JSONEncoder().encode(valid), as: UTF8.self)
        let record =
            try await RecognitionSettingsRecord.query(on: db).filter(\.$programID == programID).first()
            ?? RecognitionSettingsRecord()
        record.programID = programID
        record.settingsJSON = json
        record.updatedByID = actor
        try await record.save(on: db)
        try await AuditEntry.record(
            on: db, at: now, actor: actor, action: "recognition-settings.changed", recordType: "program",
            recordID: programID, programID: programID)
    }
}
