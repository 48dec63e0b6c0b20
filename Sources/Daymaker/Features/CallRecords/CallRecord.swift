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

/// The calls the imported legs make, one row each (legs sharing a linkedid, or a uniqueid, are one call): its
/// caller and start are its first leg's, and it got through when any leg was answered. Kept as the legs are
/// imported (`CallRecordImport`), in the same transactions; a campaign's merge reads them.
enum CallAttempts {
    static let schema = "call_attempts"
    static let columns = ["program_id", "attempt_key", "number", "problem", "started_at", "answered"]

    /// How a call already stored takes a batch's legs of it: an earlier leg gives its caller and start, an answered
    /// one makes it answered; a call they do not change is not written again (importing a file twice writes
    /// nothing the second time).
    static let onConflict = """
        ON CONFLICT (program_id, attempt_key) DO UPDATE SET
            number = CASE WHEN excluded.started_at < call_attempts.started_at
                THEN excluded.number ELSE call_attempts.number END,
            problem = CASE WHEN excluded.started_at < call_attempts.started_at
                THEN excluded.problem ELSE call_attempts.problem END,
            started_at = CASE WHEN excluded.started_at < call_attempts.started_at
                THEN excluded.started_at ELSE call_attempts.started_at END,
            answered = call_attempts.answered OR excluded.answered
        WHERE excluded.started_at < call_attempts.started_at OR excluded.answered > call_attempts.answered
        """
}
