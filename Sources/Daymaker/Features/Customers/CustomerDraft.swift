import Foundation

/// A customer's fields after validation and normalisation: E.164 phones, lower-cased emails and handles.
struct CustomerDraft: Equatable, Sendable {
    var customerNumber: String
    var fullName: String
    var preferredName: String?
    var phones: [(number: PhoneNumber, label: String?)]
    var emails: [String]
    var handles: [(network: String, handle: String)]
    var timeZone: String?
    var notes: String
    var preferredRepID: UUID?

    static func == (lhs: CustomerDraft, rhs: CustomerDraft) -> Bool {
        lhs.customerNumber == rhs.customerNumber && lhs.fullName == rhs.fullName
            && lhs.preferredName == rhs.preferredName && lhs.phones.map(\.number) == rhs.phones.map(\.number)
            && lhs.phones.map(\.label) == rhs.phones.map(\.label) && lhs.emails == rhs.emails
            && lhs.handles.map(\.network) == rhs.handles.map(\.network)
            && lhs.handles.map(\.handle) == rhs.handles.map(\.handle) && lhs.timeZone == rhs.timeZone
            && lhs.notes == rhs.notes && lhs.preferredRepID == rhs.preferredRepID
    }

    /// Validates raw input for a program whose national numbers are read with `country`.
    static func validate(
        customerNumber: String?, fullName: String?, preferredName: String?, phones: [CustomerDTO.Phone],
        emails: [String], handles: [CustomerDTO.Handle], timeZone: String?, notes: String?, preferredRepID: UUID?,
        country: String
    ) throws(Problem) -> CustomerDraft {
        var v = Validator()
        let number = v.text(customerNumber, "customerNumber", maxLength: 40)
        let name = v.text(fullName, "fullName", maxLength: 200)
        let preferred = v.text(preferredName, "preferredName", required: false, maxLength: 100)
        v.check(phones.count <= 10, "phones", "at most 10 phone numbers")
        var parsedPhones: [(number: PhoneNumber, label: String?)] = []
        for (index, phone) in phones.enumerated() {
            do {
                let parsed = try PhoneNumber(parsing: phone.number, defaultCountry: country)
                if parsedPhones.contains(where: { $0.number == parsed }) {
                    v.add("phones[\(index)].number", "\(parsed.e164) is listed twice")
                } else {
                    let label = v.text(phone.label, "phones[\(index)].label", required: false, maxLength: 40)
                    parsedPhones.append((parsed, label))
                }
            } catch {
                v.add("phones[\(index)].number", error.description)
            }
        }
        var parsedEmails: [String] = []
        for (index, email) in emails.enumerated() {
            let address = email.trimmingCharacters(in: .whitespaces).lowercased()
            if EmailAddress.isPlausible(address) {
                if !parsedEmails.contains(address) { parsedEmails.append(address) }
            } else {
                v.add("emails[\(index)]", "is not an email address")
            }
        }
        var parsedHandles: [(network: String, handle: String)] = []
        for (index, handle) in handles.enumerated() {
            let network = v.text(handle.network, "handles[\(index)].network", maxLength: 30)?.lowercased()
            var name = v.text(handle.handle, "handles[\(index)].handle", maxLength: 100)?.lowercased()
            if name?.hasPrefix("@") == true { name?.removeFirst() }
            if let network, let name, !name.isEmpty { parsedHandles.append((network, name)) }
        }
        let zone = v.text(timeZone, "timeZone", required: false, maxLength: 64)
        if let zone, TimeZone(identifier: zone) == nil {
            v.add("timeZone", "'\(zone)' is not an IANA time zone such as America/Chicago")
        }
        let cleanNotes = notes?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        v.check(cleanNotes.count <= 5000, "notes", "must be at most 5000 characters")
        try v.finish()
        return CustomerDraft(
            customerNumber: number ?? "", fullName: name ?? "", preferredName: preferred, phones: parsedPhones,
            emails: parsedEmails, handles: parsedHandles, timeZone: zone, notes: cleanNotes,
            preferredRepID: preferredRepID)
    }
}

/// A deliberately loose email check: one @, something on both sides, a dot in the domain, no spaces.
enum EmailAddress {
    static func isPlausible(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), address.count <= 254
        else { return false }
        return !address.contains(where: { $0.isWhitespace })
    }
}
