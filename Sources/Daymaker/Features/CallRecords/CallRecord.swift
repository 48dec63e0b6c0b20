import DaymakerCore
import Fluent
import Foundation

/// One call leg from a PBX's or carrier's call records, imported after an outage: the calls that never reached
/// Daymaker because it, or the building, was down. Kept with its source and its row as logged.
final class CallRecord: Model, @unchecked Sendable {
    static let schema = "call_records"

    enum Source: String, ClosedSet, Sendable { case asterisk, freeswitch, csv }

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "source") var source: Source
    /// What identifies the leg in its source: importing a file again adds nothing.
    @Field(key: "leg_key") var legKey: String
    /// The legs of one call share it.
    @Field(key: "attempt_key") var attemptKey: String
    /// E.164 when the number is one, else as logged (with `fromProblem`).
    @Field(key: "from_address") var fromAddress: String
    @OptionalField(key: "from_problem") var fromProblem: String?
    @OptionalField(key: "caller_name") var callerName: String?
    @Field(key: "to_address") var toAddress: String
    @Field(key: "started_at") var startedAt: Date
    @Field(key: "answered") var answered: Bool
    @Field(key: "disposition") var disposition: String
    /// The row's line in its file, and the row as logged (its text, without the line break).
    @Field(key: "line") var line: Int
    @Field(key: "raw") var raw: String
    @Field(key: "imported_at") var importedAt: Date

    init() {}
}
