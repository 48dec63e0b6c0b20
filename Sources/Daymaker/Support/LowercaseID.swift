import DaymakerCore
import Foundation

/// An id as the API writes it: lower-case text, as RFC 9562 asks (Foundation writes `uuidString`, upper case).
/// Input takes either case. An optional id is always written, `null` when there is none.
@propertyWrapper
struct LowercaseID<Value: IDValue>: Codable, Hashable, Sendable {
    var wrappedValue: Value

    init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = try Value(container.decodeNil() ? nil : container.decode(UUID.self))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let id = wrappedValue.idValue { try container.encode(id.lowercaseText) } else { try container.encodeNil() }
    }
}

/// `UUID` or `UUID?`, the two things a `LowercaseID` holds.
protocol IDValue: Hashable, Sendable {
    var idValue: UUID? { get }
    init(_ id: UUID?) throws
}

extension UUID: IDValue {
    var idValue: UUID? { self }

    init(_ id: UUID?) throws {
        guard let id else {
            throw DecodingError.valueNotFound(UUID.self, .init(codingPath: [], debugDescription: "an id is required"))
        }
        self = id
    }
}

extension Optional: IDValue where Wrapped == UUID {
    var idValue: UUID? { self }

    init(_ id: UUID?) { self = id }
}

extension KeyedDecodingContainer {
    /// A missing optional id reads as nil, as it would without the wrapper.
    func decode(_ type: LowercaseID<UUID?>.Type, forKey key: Key) throws -> LowercaseID<UUID?> {
        LowercaseID(wrappedValue: try decodeIfPresent(UUID.self, forKey: key))
    }
}
