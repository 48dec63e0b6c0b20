import Vapor

/// What building a recognition card needs besides the database handle: this database's reads and the rep-name
/// cache. Made in `configure`.
struct CardSources: Sendable {
    let reads: any RecognitionReads
    let repNames: RepNameCache
}

extension Application {
    private struct CardSourcesKey: StorageKey { typealias Value = CardSources }

    var cardSources: CardSources {
        get {
            guard let sources = storage[CardSourcesKey.self] else {
                fatalError("configure(_:config:) makes the card's sources")
            }
            return sources
        }
        set { storage[CardSourcesKey.self] = newValue }
    }
}
