import DaymakerCore
import Fluent
import Foundation

/// A line of business the center serves: the data-access boundary.
final class Program: Model, @unchecked Sendable {
    static let schema = "programs"

    @ID(key: .id) var id: UUID?
    /// Short, unique, upper-case code used in URLs and imports (`RIDE`).
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    /// IANA time zone (`America/Chicago`).
    @Field(key: "time_zone") var timeZone: String
    /// ISO 3166-1 alpha-2 country used to read national phone numbers.
    @Field(key: "country") var country: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, code: String, name: String, timeZone: String, country: String) {
        self.id = id
        self.code = code
        self.name = name
        self.timeZone = timeZone
        self.country = country
    }
}

extension Program {
    /// The program's time zone (UTC if the stored name is unknown, which validation prevents).
    var zone: TimeZone { TimeZones.named(timeZone) ?? .gmt }
}
