import DaymakerCore
import Fluent
import Foundation

/// A program's Twilio account: its SID and its auth token, which signs every webhook Twilio sends for the program.
/// The token is stored sealed (``SecretBox``), never shown back and never logged.
final class TwilioAccount: ProgramConnection, @unchecked Sendable {
    static let schema = "twilio_accounts"
    static let auditName = "twilio"
    static let title = "The Twilio account"

    @ID(key: .id) var id: UUID?
    @Parent(key: "program_id") var program: Program
    @Field(key: "account_sid") var accountSID: String
    @Field(key: "auth_token_sealed") var authTokenSealed: String
    @OptionalField(key: "updated_by_id") var updatedByID: UUID?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// What an admin sends to connect a program to Twilio.
struct TwilioAccountUpdate: Codable, Sendable {
    var accountSid: String
    var authToken: String

    /// An account SID is `AC` and 32 hex digits; an auth token 32 letters and digits (both from the Twilio console).
    func validated() throws(ValidationFailure) -> TwilioAccountUpdate {
        var v = FieldValidator()
        let hex = Set("0123456789abcdef")
        if !(accountSid.count == 34 && accountSid.hasPrefix("AC") && accountSid.dropFirst(2).allSatisfy(hex.contains)) {
            v.add(
                "accountSid",
                "is not a Twilio account SID: AC followed by 32 hex digits, as the Twilio console shows it")
        }
        if !(16...64).contains(authToken.count) || !authToken.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        {
            v.add("authToken", "is not a Twilio auth token: 32 letters and digits, as the Twilio console shows it")
        }
        try v.finish()
        return self
    }
}
