import DaymakerCore
import Foundation

/// Validation rules for a program's fields, shared by the API, the admin pages and the command line.
enum ProgramRules {
    static func code(_ raw: String?, into validator: inout FieldValidator) -> String? {
        guard let code = validator.text(raw, "code", maxLength: 16)?.uppercased() else { return nil }
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        guard code.unicodeScalars.allSatisfy(allowed.contains), code.count >= 2 else {
            validator.add("code", "use 2 to 16 letters, digits, - or _")
            return nil
        }
        return code
    }

    static func timeZone(_ raw: String?, into validator: inout FieldValidator) -> String? {
        guard let zone = validator.text(raw, "timeZone", maxLength: 64) else { return nil }
        guard TimeZone(identifier: zone) != nil, zone.contains("/") || zone == "UTC" else {
            validator.add("timeZone", "'\(zone)' is not an IANA time zone such as America/Chicago")
            return nil
        }
        return zone
    }

    static func country(_ raw: String?, into validator: inout FieldValidator) -> String? {
        guard let country = validator.text(raw, "country", maxLength: 2)?.uppercased() else { return nil }
        guard PhoneNumber.reads(country: country) else {
            validator.add("country", "'\(country)' is not an ISO 3166-1 country code, such as US, GB or AU")
            return nil
        }
        return country
    }
}
