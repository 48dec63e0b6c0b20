import Vapor

/// A customer as the API shows it.
struct CustomerDTO: Content, Equatable {
    struct Phone: Content, Equatable {
        var number: String
        var label: String?
    }

    struct Handle: Content, Equatable {
        var network: String
        var handle: String
    }

    @LowercaseID var id: UUID
    var program: String
    var customerNumber: String
    var fullName: String
    var preferredName: String?
    var phones: [Phone]
    var emails: [String]
    var handles: [Handle]
    var timeZone: String?
    var notes: String
    @LowercaseID var preferredRepId: UUID?
    /// Asked not to be contacted beyond what they ask for: never sent a survey.
    var doNotContact: Bool
    var createdAt: Date?
    var updatedAt: Date?
}

/// The body of `POST /api/v1/customers`.
struct CustomerCreateRequest: Content {
    var program: String
    var customerNumber: String
    var fullName: String
    var preferredName: String?
    var phones: [CustomerDTO.Phone]?
    var emails: [String]?
    var handles: [CustomerDTO.Handle]?
    var timeZone: String?
    var notes: String?
    var doNotContact: Bool?
    var preferredRepId: UUID?
}

/// The body of `PATCH /api/v1/customers/{customerId}`: only the fields sent change; lists are replaced whole;
/// `null` clears an optional field.
struct CustomerUpdateRequest: Content {
    var customerNumber: String?
    var fullName: String?
    var preferredName: String??
    var phones: [CustomerDTO.Phone]?
    var emails: [String]?
    var handles: [CustomerDTO.Handle]?
    var timeZone: String??
    var notes: String?
    var preferredRepId: UUID??
    var doNotContact: Bool?

    enum CodingKeys: String, CodingKey {
        case customerNumber, fullName, preferredName, phones, emails, handles, timeZone, notes, preferredRepId
        case doNotContact
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        customerNumber = try c.decodeIfPresent(String.self, forKey: .customerNumber)
        fullName = try c.decodeIfPresent(String.self, forKey: .fullName)
        preferredName = try c.decodeNullable(String.self, forKey: .preferredName)
        phones = try c.decodeIfPresent([CustomerDTO.Phone].self, forKey: .phones)
        emails = try c.decodeIfPresent([String].self, forKey: .emails)
        handles = try c.decodeIfPresent([CustomerDTO.Handle].self, forKey: .handles)
        timeZone = try c.decodeNullable(String.self, forKey: .timeZone)
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        preferredRepId = try c.decodeNullable(UUID.self, forKey: .preferredRepId)
        doNotContact = try c.decodeIfPresent(Bool.self, forKey: .doNotContact)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(customerNumber, forKey: .customerNumber)
        try c.encodeIfPresent(fullName, forKey: .fullName)
        try c.encodeNullable(preferredName, forKey: .preferredName)
        try c.encodeIfPresent(phones, forKey: .phones)
        try c.encodeIfPresent(emails, forKey: .emails)
        try c.encodeIfPresent(handles, forKey: .handles)
        try c.encodeNullable(timeZone, forKey: .timeZone)
        try c.encodeIfPresent(notes, forKey: .notes)
        try c.encodeNullable(preferredRepId, forKey: .preferredRepId)
        try c.encodeIfPresent(doNotContact, forKey: .doNotContact)
    }
}

extension KeyedDecodingContainer {
    /// nil when the key is absent, `.some(nil)` when it is sent as null.
    func decodeNullable<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T?? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) { return .some(nil) }
        return .some(try decode(T.self, forKey: key))
    }
}

extension KeyedEncodingContainer {
    mutating func encodeNullable<T: Encodable>(_ value: T??, forKey key: Key) throws {
        switch value {
        case .none: break
        case .some(.none): try encodeNil(forKey: key)
        case .some(.some(let wrapped)): try encode(wrapped, forKey: key)
        }
    }
}
