import DaymakerCore
import Fluent
import Foundation

/// Finds everyone behind one identifier that arrived with a contact, within one program.
enum RecognitionLookup {
    enum Identifier: Equatable {
        case phone(String)
        case customerNumber(String)
        case email(String)
        case handle(String)

        var kind: String {
            switch self {
            case .phone: "phone"
            case .customerNumber: "customerNumber"
            case .email: "email"
            case .handle: "handle"
            }
        }
    }

    /// Reads exactly one identifier; a withheld number is `nil` (nobody can be recognised by it).
    static func identifier(
        phone: String?, customerNumber: String?, email: String?, handle: String?, country: String
    ) throws(ValidationFailure) -> (Identifier?, RecognitionResponse.Identifier) {
        let given = [("phone", phone), ("customerNumber", customerNumber), ("email", email), ("handle", handle)]
            .compactMap { name, value in value?.nilIfBlank.map { (name, $0) } }
        guard given.count == 1, let (kind, raw) = given.first else {
            throw ValidationFailure(field: "phone", "give exactly one of phone, customerNumber, email or handle")
        }
        switch kind {
        case "phone":
            do {
                let number = try PhoneNumber(parsing: raw, defaultCountry: country)
                return (.phone(number.e164), .init(kind: kind, value: number.e164, withheld: false))
            } catch .withheld {
                return (nil, .init(kind: kind, value: nil, withheld: true))
            } catch {
                throw ValidationFailure(field: "phone", error.description)
            }
        case "customerNumber":
            return (.customerNumber(raw), .init(kind: kind, value: raw, withheld: false))
        case "email":
            let address = raw.lowercased()
            guard EmailAddress.isPlausible(address) else {
                throw ValidationFailure(field: "email", "is not an email address")
            }
            return (.email(address), .init(kind: kind, value: address, withheld: false))
        default:
            var name = raw.lowercased()
            if name.hasPrefix("@") { name.removeFirst() }
            return (.handle(name), .init(kind: kind, value: name, withheld: false))
        }
    }

    /// `john+rides@example.com` → `john@example.com`; nil when there is no tag.
    static func baseAddress(_ address: String) -> String? {
        let parts = address.split(separator: "@", maxSplits: 1)
        guard parts.count == 2, let plus = parts[0].firstIndex(of: "+"), plus != parts[0].startIndex else { return nil }
        return "\(parts[0][..<plus])@\(parts[1])"
    }

    /// Identifies the person and builds their cards (shared by the API and the desk).
    static func recognise(
        program: Program, settings: RecognitionSettings, principal: Principal, phone: String?, customerNumber: String?,
        email: String?, handle: String?, now: Date, sources: CardSources, on db: any Database
    ) async throws -> RecognitionResponse {
        let programID = try program.requireID()
        let (identifier, shown) = try RecognitionLookup.identifier(
            phone: phone, customerNumber: customerNumber, email: email, handle: handle, country: program.country)
        var people: [RecognitionCard.Candidate] = []
        if let identifier {
            people = try await RecognitionCard.people(
                identifier, programID: programID, settings: settings, now: now, reads: sources.reads, on: db)
        }
        let cards = try await RecognitionCard.build(
            for: people, program: program, settings: settings, reader: principal, now: now, sources: sources, on: db)
        let policy = RecognitionPolicy(settings: settings, timeZone: program.zone)
        return RecognitionResponse(
            identifier: shown, matches: cards,
            newCallerGreeting: cards.isEmpty
                ? policy.greeting(name: nil, assessment: nil, rep: principal.displayName, program: program.name) : nil)
    }
}
