import Vapor

/// How much Daymaker accepts in one request: one policy for every body, list and import, so no path is left
/// without a cap. `docs/security.md` lists these numbers; change them here and there together.
enum Limits {
    /// Any request body (JSON or form).
    static let body: ByteCount = "1mb"
    static let bodyDescription = "1 MB"
    /// A CSV import's body.
    static let importBody: ByteCount = "20mb"
    static let importBodyDescription = "20 MB"
    /// Data rows in one CSV import.
    static let importRows = 500_000
    /// Fields in one CSV row, and bytes in one field.
    static let csvFieldsPerRow = 32
    static let csvBytesPerField = 4_096

    /// Identifiers per customer.
    static let phonesPerCustomer = 10
    static let emailsPerCustomer = 10
    static let handlesPerCustomer = 10
    /// The customer's notes field (API), and one quick note (desk).
    static let customerNotes = 5_000
    static let quickNote = 1_000
    /// Ids or keys in one `IN (…)` list: well inside SQLite's and PostgreSQL's bind limits.
    static let lookupChunk = 500
}

extension Sequence {
    /// Runs `body` on chunks of at most `Limits.lookupChunk` elements and joins the results, so a long list of
    /// keys never becomes one statement with more binds than the database accepts.
    func chunkedLookup<T>(_ body: ([Element]) async throws -> [T]) async throws -> [T] {
        var results: [T] = []
        var chunk: [Element] = []
        chunk.reserveCapacity(Limits.lookupChunk)
        for element in self {
            chunk.append(element)
            if chunk.count == Limits.lookupChunk {
                results += try await body(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { results += try await body(chunk) }
        return results
    }
}
