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
    /// The program's own behaviour tags for moments, besides `MomentTag`'s (comma-separated; see `Vocabulary`).
    @Field(key: "moment_tags") var momentTags: String
    /// The program's own root causes, besides `RootCause`'s (comma-separated).
    @Field(key: "root_causes") var rootCauses: String
    /// `SurveyRules` as JSON; empty: the defaults (surveys off).
    @Field(key: "survey_rules") var surveyRulesJSON: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, code: String, name: String, timeZone: String, country: String) {
        self.id = id
        self.code = code
        self.name = name
        self.timeZone = timeZone
        self.country = country
        self.momentTags = ""
        self.rootCauses = ""
        self.surveyRulesJSON = ""
    }
}

extension Program {
    /// The program's time zone (UTC if the stored name is unknown, which validation prevents).
    var zone: TimeZone { TimeZones.named(timeZone) ?? .gmt }

    /// The behaviour tags its moments may carry.
    var momentTagVocabulary: Vocabulary { MomentTag.vocabulary(extras: momentTags) }
}
