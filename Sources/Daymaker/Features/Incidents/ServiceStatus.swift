import DaymakerCore
import Fluent
import Foundation

/// What the public status page, its JSON and its feed show: per program with an active or recently resolved
/// incident, those incidents with their public messages and updates. Nothing else leaves: no IVR or email texts,
/// no authors, no program without an incident unless it is asked for by code.
struct ServiceStatus: Encodable {
    /// How long a resolved incident stays on the page.
    static let recent: TimeInterval = 7 * 86_400

    struct ProgramStatus: Encodable {
        let code: String
        let name: String
        let disrupted: Bool
        let incidents: [IncidentStatus]
    }

    struct IncidentStatus: Encodable {
        let id: UUID
        let title: String
        let message: String
        let active: Bool
        let channels: [String]
        let declaredAt: Date
        let resolvedAt: Date?
        /// Newest first.
        let updates: [Update]
        /// As the program's customers read them.
        let declared: String
        let resolved: String?
    }

    struct Update: Encodable {
        let kind: String
        let message: String
        let at: Date
        /// As the program's customers read it, and for `<time datetime>`.
        let time: String
        let iso: String
    }

    let generatedAt: Date
    /// When, in UTC, for readers anywhere.
    let generated: String
    let programs: [ProgramStatus]

    /// Whether any program shown is disrupted now.
    let disrupted: Bool

    /// The status of every program with an incident active or resolved in the last week, or of `program` alone.
    static func load(program: Program? = nil, now: Date, on db: any Database) async throws -> ServiceStatus {
        let since = now.addingTimeInterval(-recent)
        let query = Incident.query(on: db).with(\.$programs).with(\.$updates)
            .group(.or) { $0.filter(\.$resolvedAt == nil).filter(\.$resolvedAt >= since) }
            .sort(\.$declaredAt, .descending).limit(200)
        if let program {
            let ids = try await IncidentProgram.query(on: db).filter(\.$programID == program.requireID())
                .all(\.$incident.$id)
            query.filter(\.$id ~~ ids)
        }
        let incidents = try await query.all()
        let programIDs = Set(incidents.flatMap { $0.programs.map(\.programID) })
        var programs = try await Program.query(on: db).filter(\.$id ~~ Array(programIDs)).all()
        if let program, !programs.contains(where: { $0.id == program.id }) { programs.append(program) }
        if let program { programs = programs.filter { $0.id == program.id } }
        let statuses = try programs.sorted { $0.code < $1.code }.map { program in
            let id = try program.requireID()
            let own = incidents.filter { $0.programs.contains { $0.programID == id } }
            return ProgramStatus(
                code: program.code, name: program.name, disrupted: own.contains(where: \.isActive),
                incidents: try own.map { try IncidentStatus($0, zone: program.zone) })
        }
        return ServiceStatus(
            generatedAt: now, generated: DisplayTime.zoned(now, in: .gmt), programs: statuses,
            disrupted: statuses.contains(where: \.disrupted))
    }
}

extension ServiceStatus.IncidentStatus {
    init(_ incident: Incident, zone: TimeZone) throws {
        id = try incident.requireID()
        title = incident.title
        message = incident.publicMessage
        active = incident.isActive
        channels = incident.channels.map(\.rawValue)
        declaredAt = incident.declaredAt
        resolvedAt = incident.resolvedAt
        updates = incident.updates.sorted { $0.seq > $1.seq }.map {
            .init(
                kind: $0.kind.rawValue, message: $0.message, at: $0.at, time: DisplayTime.zoned($0.at, in: zone),
                iso: $0.at.formatted(.iso8601))
        }
        declared = DisplayTime.zoned(incident.declaredAt, in: zone)
        resolved = incident.resolvedAt.map { DisplayTime.zoned($0, in: zone) }
    }
}
