import DaymakerCore
import Fluent
import Foundation

/// Who is assigned some collections, which moments they hold, and who discussed which: everything a list or a
/// collection's page needs to tell each rep's progress, read in four queries.
struct TrainingStandings {
    let assignees: [UUID: Set<UUID>]
    /// Each collection's moments, in order.
    let items: [UUID: [TrainingItem]]
    /// Each collection's discussions of moments it holds now (a moment taken out no longer counts).
    let discussions: [UUID: [TrainingDiscussion]]
    /// Programs' time zones, for due dates.
    let zones: [UUID: TimeZone]

    static func load(_ collections: [TrainingCollection], on db: any Database) async throws -> TrainingStandings {
        let ids = try collections.map { try $0.requireID() }
        guard !ids.isEmpty else { return TrainingStandings(assignees: [:], items: [:], discussions: [:], zones: [:]) }
        let items = Dictionary(
            grouping: try await TrainingItem.query(on: db).filter(\.$collectionID ~~ ids).sort(\.$position).all(),
            by: \.collectionID)
        let held = Set(items.values.joined().map { "\($0.collectionID) \($0.momentID)" })
        let discussions = Dictionary(
            grouping: try await TrainingDiscussion.query(on: db).filter(\.$collectionID ~~ ids)
                .sort(\.$discussedAt).all().filter { held.contains("\($0.collectionID) \($0.momentID)") },
            by: \.collectionID)
        let programs = try await Program.query(on: db).filter(\.$id ~~ Set(collections.map(\.programID))).all()
        return TrainingStandings(
            assignees: try await Collections.assignees(of: collections, on: db), items: items,
            discussions: discussions,
            zones: Dictionary(uniqueKeysWithValues: try programs.map { (try $0.requireID(), $0.zone) }))
    }

    func isAssigned(_ rep: UUID, to collection: TrainingCollection) -> Bool {
        collection.id.map { assignees[$0, default: []].contains(rep) } ?? false
    }

    /// Where the rep stands in the collection.
    func progress(of rep: UUID, in collection: TrainingCollection, now: Date) -> TrainingProgress {
        let id = collection.id ?? UUID()
        let discussed = Set(discussions[id, default: []].filter { $0.repID == rep }.map(\.momentID))
        return TrainingProgress(
            discussed: discussed.count, total: items[id, default: []].count,
            due: Collections.dueEnd(collection, zone: zones[collection.programID] ?? .gmt), now: now)
    }

    /// Every assigned rep's progress.
    func progress(in collection: TrainingCollection, now: Date) -> [UUID: TrainingProgress] {
        let reps = collection.id.map { assignees[$0, default: []] } ?? []
        return Dictionary(uniqueKeysWithValues: reps.map { ($0, progress(of: $0, in: collection, now: now)) })
    }
}
