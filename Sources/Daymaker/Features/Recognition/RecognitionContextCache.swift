import DaymakerCore
import Fluent
import Foundation

/// A program and its recognition settings: every card needs both, and they change rarely.
struct RecognitionContext: Sendable {
    let id: UUID
    let code: String
    let name: String
    let timeZone: String
    let country: String
    let settings: RecognitionSettings

    /// A detached copy of the program for this request.
    var program: Program {
        Program(id: id, code: code, name: name, timeZone: timeZone, country: country)
    }
}

/// Keyed by the program's code in upper case; forgotten at once when the program or its settings change.
typealias RecognitionContextCache = TTLCache<String, RecognitionContext>

extension TTLCache where Key == String, Value == RecognitionContext {
    /// The program with this code and its settings, or nil when there is no such program.
    func context(code: String, on db: any Database, now: Date) async throws -> RecognitionContext? {
        try await value(for: code.uppercased(), now: now) {
            guard let program = try await Program.find(code: code.uppercased(), on: db), let id = program.id else {
                return nil
            }
            return RecognitionContext(
                id: id, code: program.code, name: program.name, timeZone: program.timeZone, country: program.country,
                settings: try await RecognitionSettings.load(programID: id, on: db))
        }
    }
}
