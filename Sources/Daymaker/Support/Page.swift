import DaymakerCore
import Vapor

/// One page of a list: `{ "items": [...], "nextCursor": "…" | null }`.
struct ItemPage<Item: Content>: Content {
    var items: [Item]
    var nextCursor: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }

    func map<Other: Content>(_ transform: (Item) throws -> Other) rethrows -> ItemPage<Other> {
        ItemPage<Other>(items: try items.map(transform), nextCursor: nextCursor)
    }
}

/// An opaque keyset cursor: the sort key and id of the last item of the previous page.
struct Cursor: Codable, Equatable {
    var key: String
    var id: UUID

    var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(key: String, id: UUID) {
        self.key = key
        self.id = id
    }

    init(encoded: String) throws(ValidationFailure) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let cursor = try? JSONDecoder().decode(Cursor.self, from: data)
        else { throw ValidationFailure(field: "cursor", "is not a cursor this server gave out") }
        self = cursor
    }
}

/// `limit` and `cursor` query parameters, validated.
struct PageRequest {
    static let defaultLimit = 25
    static let maxLimit = 100

    var limit: Int
    var cursor: Cursor?

    init(_ req: Request) throws(ValidationFailure) {
        limit = try Self.limit(req)
        self.cursor = try req.query[String.self, at: "cursor"]?.nilIfBlank.map { (raw) throws(ValidationFailure) in
            try Cursor(encoded: raw)
        }
    }

    /// The `limit` query parameter alone, for lists short enough to need no cursor.
    static func limit(_ req: Request) throws(ValidationFailure) -> Int {
        guard let raw = req.query[String.self, at: "limit"] else { return defaultLimit }
        guard let limit = Int(raw), (1...maxLimit).contains(limit) else {
            throw ValidationFailure(field: "limit", "must be a whole number from 1 to \(maxLimit)")
        }
        return limit
    }
}
