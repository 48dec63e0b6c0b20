import FluentKit
import Foundation

/// The recognition card's reads on each database's own interface, because a PBX asks for a card on every contact:
/// SQLite rows are read column by column through the file's read-only connections (no `Codable` per row),
/// PostgreSQL runs named prepared statements, planned once per connection instead of on every call. `configure`
/// picks the implementation for the database (`app.recognitionReads`).
protocol RecognitionReads: Sendable {
    /// Everyone `match` points at, each with flags for upcoming bookings (starting within `bookings`) and open care
    /// notes, and their latest contacts (`window`), newest first.
    func people(
        _ match: CardReads.Match, window: CardReads.Window, bookings: (from: Date, until: Date), on db: any Database
    ) async throws -> [RecognitionCard.Candidate]
}
