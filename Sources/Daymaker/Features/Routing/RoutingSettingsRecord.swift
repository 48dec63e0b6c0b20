import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// A program's routing settings as the API and the database hold them: whole seconds and days, so a supervisor
/// reads them as they are meant ("wait 45 seconds for her"). Stored as JSON, so new settings need no migration.
struct RoutingSettingsDTO: Content, Equatable {
    /// How long a relationship choice (asked for, preferred, helped last) who is busy is waited for.
    var relationshipWaitSeconds: Int
    /// How far back "the rep who helped them last" looks.
    var lookbackDays: Int
    /// More contacts waiting than this put the service level at risk: relationship waits give way.
    var atRiskWaiting: Int
    /// The target answer time; the oldest waiting longer than this puts the service level at risk.
    var targetAnswerSeconds: Int
    /// How long an offer stays open before it goes to the next choice.
    var offerTimeoutSeconds: Int
    /// How long a rep is in wrap-up after a contact.
    var wrapUpSeconds: Int
    /// The break before the next offer after a contact flagged heated or abusive (0: none).
    var hardContactBreakSeconds: Int
    /// Abandoned within this many seconds: a short abandon, neither offered nor abandoned in insights.
    var shortAbandonSeconds: Int
    /// How contacts abandoned before the target count in the service level: ignored, against or favour.
    var abandonsBeforeTarget: String

    init(_ settings: RoutingSettings) {
        relationshipWaitSeconds = Int(settings.relationshipWait)
        lookbackDays = Int(settings.lookback / 86_400)
        atRiskWaiting = settings.atRiskWaiting
        targetAnswerSeconds = Int(settings.targetAnswer)
        offerTimeoutSeconds = Int(settings.offerTimeout)
        wrapUpSeconds = Int(settings.wrapUp)
        hardContactBreakSeconds = Int(settings.hardContactBreak)
        shortAbandonSeconds = Int(settings.shortAbandon)
        abandonsBeforeTarget = settings.abandonsBeforeTarget.rawValue
    }

    /// Missing fields keep their defaults, so a client may send only what it changes.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RoutingSettingsDTO(.defaults)
        relationshipWaitSeconds =
            try c.decodeIfPresent(Int.self, forKey: .relationshipWaitSeconds) ?? d.relationshipWaitSeconds
        lookbackDays = try c.decodeIfPresent(Int.self, forKey: .lookbackDays) ?? d.lookbackDays
        atRiskWaiting = try c.decodeIfPresent(Int.self, forKey: .atRiskWaiting) ?? d.atRiskWaiting
        targetAnswerSeconds = try c.decodeIfPresent(Int.self, forKey: .targetAnswerSeconds) ?? d.targetAnswerSeconds
        offerTimeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .offerTimeoutSeconds) ?? d.offerTimeoutSeconds
        wrapUpSeconds = try c.decodeIfPresent(Int.self, forKey: .wrapUpSeconds) ?? d.wrapUpSeconds
        hardContactBreakSeconds =
            try c.decodeIfPresent(Int.self, forKey: .hardContactBreakSeconds) ?? d.hardContactBreakSeconds
        shortAbandonSeconds = try c.decodeIfPresent(Int.self, forKey: .shortAbandonSeconds) ?? d.shortAbandonSeconds
        abandonsBeforeTarget =
            try c.decodeIfPresent(String.self, forKey: .abandonsBeforeTarget) ?? d.abandonsBeforeTarget
    }

    /// The settings, or every field out of range.
    func settings() throws(ValidationFailure) -> RoutingSettings {
        var v = FieldValidator()
        v.check((0...600).contains(relationshipWaitSeconds), "relationshipWaitSeconds", "must be from 0 to 600")
        v.check((1...3650).contains(lookbackDays), "lookbackDays", "must be from 1 to 3650")
        v.check((1...10_000).contains(atRiskWaiting), "atRiskWaiting", "must be from 1 to 10000")
        v.check((5...3600).contains(targetAnswerSeconds), "targetAnswerSeconds", "must be from 5 to 3600")
        v.check((5...300).contains(offerTimeoutSeconds), "offerTimeoutSeconds", "must be from 5 to 300")
        v.check((0...3600).contains(wrapUpSeconds), "wrapUpSeconds", "must be from 0 to 3600")
        v.check(
            (0...3600).contains(hardContactBreakSeconds), "hardContactBreakSeconds", "must be from 0 to 3600")
        v.check((0...120).contains(shortAbandonSeconds), "shortAbandonSeconds", "must be from 0 to 120")
        let policy = AbandonsBeforeTarget(rawValue: abandonsBeforeTarget)
        v.check(policy != nil, "abandonsBeforeTarget", "must be one of \(AbandonsBeforeTarget.choices)")
        try v.finish()
        return RoutingSettings(
            relationshipWait: TimeInterval(relationshipWaitSeconds), lookback: TimeInterval(lookbackDays) * 86_400,
            atRiskWaiting: atRiskWaiting, targetAnswer: TimeInterval(targetAnswerSeconds),
            offerTimeout: TimeInterval(offerTimeoutSeconds), wrapUp: TimeInterval(wrapUpSeconds),
            hardContactBreak: TimeInterval(hardContactBreakSeconds), shortAbandon: TimeInterval(shortAbandonSeconds),
            abandonsBeforeTarget: policy ?? .ignored)
    }
}

/// Each program's routing settings: every routing pass and every group of contact events that moves reps needs
/// them, and they change rarely; forgotten at once when they are saved (`DomainEvent.programChanged`).
typealias RoutingSettingsCache = TTLCache<UUID, RoutingSettings>

extension TTLCache where Key == UUID, Value == RoutingSettings {
    /// The programs' settings: those remembered, and the others in one read.
    func settings(of programs: [UUID], now: Date, on sql: any SQLDatabase) async throws -> [UUID: RoutingSettings] {
        var settings: [UUID: RoutingSettings] = [:]
        var missing: [UUID] = []
        for program in Set(programs) {
            if let remembered = value(for: program, now: now) {
                settings[program] = remembered
            } else {
                missing.append(program)
            }
        }
        guard !missing.isEmpty else { return settings }
        let generation = self.generation
        for (program, loaded) in try await RoutingSettings.load(programs: missing, on: sql) {
            store(loaded, for: program, now: now, loadedAt: generation)
            settings[program] = loaded
        }
        return settings
    }
}

final class RoutingSettingsRecord: Model, @unchecked Sendable {
    static let schema = "routing_settings"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "settings") var settingsJSON: String
    @OptionalField(key: "updated_by_id") var updatedByID: UUID?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

extension RoutingSettings {
    /// The program's settings, or the defaults when none were saved (fields added later take their defaults).
    static func load(programID: UUID, on db: any Database) async throws -> RoutingSettings {
        try await load(programs: [programID], on: db.sqlDatabase)[programID] ?? .defaults
    }

    /// Several programs' settings in one read (as rows, not models: every routing pass reads them).
    static func load(programs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: RoutingSettings] {
        var settings = Dictionary(uniqueKeysWithValues: programs.map { ($0, RoutingSettings.defaults) })
        for row in try await sql.select().column("program_id").column("settings").from(RoutingSettingsRecord.schema)
            .where("program_id", .in, programs).all()
        {
            guard
                let dto = try? JSONDecoder().decode(
                    RoutingSettingsDTO.self, from: Data(try row.decode(column: "settings", as: String.self).utf8)),
                let saved = try? dto.settings()
            else { continue }
            settings[try row.decode(column: "program_id", as: UUID.self)] = saved
        }
        return settings
    }

    /// Saves the program's settings and audits the change.
    static func save(
        _ dto: RoutingSettingsDTO, programID: UUID, actor: UUID, now: Date, on db: any Database
    )
        async throws -> RoutingSettings
    {
        let settings = try dto.settings()
        try await db.writeTransaction { db in
            let record =
                try await RoutingSettingsRecord.query(on: db).filter(\.$programID == programID).first()
                ?? RoutingSettingsRecord()
            record.programID = programID
            record.settingsJSON = String(decoding: try JSONEncoder().encode(dto), as: UTF8.self)
            record.updatedByID = actor
            try await record.save(on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: actor, action: "routing-settings.changed", recordType: "program",
                recordID: programID, programID: programID)
            // The target and the short-abandon threshold decide how contacts are counted.
            try await InsightRollups.markAll(programID: programID, on: db.sqlDatabase)
        }
        return settings
    }
}

/// `GET`/`PUT /api/v1/programs/{id}/routing-settings`: each program's routing timings (supervisors change them).
struct RoutingSettingsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("programs", ":programID", "routing-settings", use: settings)
        routes.put("programs", ":programID", "routing-settings", use: updateSettings)
    }

    @Sendable func settings(req: Request) async throws -> RoutingSettingsDTO {
        let principal = try req.requirePrincipal()
        let program = try await ProgramController.visibleProgram(req, principal)
        return RoutingSettingsDTO(try await RoutingSettings.load(programID: try program.requireID(), on: req.db))
    }

    @Sendable func updateSettings(req: Request) async throws -> RoutingSettingsDTO {
        let principal = try req.requirePrincipal()
        let program = try await ProgramController.visibleProgram(req, principal)
        try principal.require(.supervisor)
        let body = try req.decodeStrict(RoutingSettingsDTO.self)
        let saved = try await RoutingSettings.save(
            body, programID: try program.requireID(), actor: principal.userID, now: req.now, on: req.db)
        // Routing remembers each program's settings until they change: forgotten now, here and on other instances.
        await req.publish(.programChanged(try program.requireID()))
        return RoutingSettingsDTO(saved)
    }
}
