import DaymakerCore
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Programs and their recognition settings, remembered for a few seconds: they change rarely and every card
/// needs both. Saving settings or changing a program clears this instance's cache at once.
final class RecognitionContextCache: Sendable {
    struct Entry: Sendable {
        let id: UUID
        let code: String
        let name: String
        let timeZone: String
        let country: String
        let settings: RecognitionSettings
        let expires: Date

        /// A detached copy of the program for this request.
        var program: Program {
            Program(id: id, code: code, name: name, timeZone: timeZone, country: country)
        }
    }

    let lifetime: TimeInterval
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    init(lifetime: TimeInterval = 10) { self.lifetime = lifetime }

    /// The program with this code and its settings, or nil when there is no such program.
    func entry(code: String, on db: any Database, now: Date) async throws -> Entry? {
        let key = code.uppercased()
        if let entry = entries.withLockedValue({ $0[key] }), entry.expires > now { return entry }
        guard let program = try await Program.find(code: key, on: db), let id = program.id else { return nil }
        let entry = Entry(
            id: id, code: program.code, name: program.name, timeZone: program.timeZone, country: program.country,
            settings: try await RecognitionSettings.load(programID: id, on: db), expires: now.addingTimeInterval(lifetime))
        entries.withLockedValue { $0[key] = entry }
        return entry
    }

    func clear() { entries.withLockedValue { $0.removeAll() } }
}

extension Application {
    private struct RecognitionContextCacheKey: StorageKey { typealias Value = RecognitionContextCache }

    var recognitionContext: RecognitionContextCache {
        if let cache = storage[RecognitionContextCacheKey.self] { return cache }
        let cache = RecognitionContextCache()
        storage[RecognitionContextCacheKey.self] = cache
        return cache
    }
}
