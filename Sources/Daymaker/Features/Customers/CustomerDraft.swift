import DaymakerCore
import Foundation

/// A customer's fields after validation and normalisation: E.164 phones, lower-cased emails and handles.
///
/// Every path that writes a customer (the API's create and PATCH, the desk's new-caller form, demo data) goes
/// through here, so the same limits apply everywhere. A PATCH validates only the fields it sends.
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
    ) throws(ValidationFailure) -> CustomerDraft {
        var v = FieldValidator()
        let draft = CustomerDraft(
            customerNumber: v.text(customerNumber, "customerNumber", maxLength: 40) ?? "",
            fullName: v.text(fullName, "fullName", maxLength: 200) ?? "",
            preferredName: v.text(preferredName, "preferredName", required: false, maxLength: 100),
            phones: Self.phones(phones, country: country, into: &v), emails: Self.emails(emails, into: &v),
            handles: Self.handles(handles, into: &v), timeZone: Self.timeZone(timeZone, into: &v),
            notes: Self.notes(notes, into: &v), preferredRepID: preferredRepID)
        try v.finish()
        return draft
    }

    /// The stored customer with a PATCH's changes applied. Only the fields the request sends are validated: a
    /// stored value that a later rule would refuse never blocks an unrelated change.
    static func changing(
        _ current: CustomerDTO, with body: CustomerUpdateRequest, country: String
    ) throws(ValidationFailure) -> CustomerDraft {
        var draft = CustomerDraft(stored: current)
        var v = FieldValidator()
        if let value = body.customerNumber {
            draft.customerNumber = v.text(value, "customerNumber", maxLength: 40) ?? draft.customerNumber
        }
        if let value = body.fullName { draft.fullName = v.text(value, "fullName", maxLength: 200) ?? draft.fullName }
        if let value = body.preferredName {
            draft.preferredName = v.text(value, "preferredName", required: false, maxLength: 100)
        }
        if let value = body.phones { draft.phones = phones(value, country: country, into: &v) }
        if let value = body.emails { draft.emails = emails(value, into: &v) }
        if let value = body.handles { draft.handles = handles(value, into: &v) }
        if let value = body.timeZone { draft.timeZone = timeZone(value, into: &v) }
        if let value = body.notes { draft.notes = notes(value, into: &v) }
        if let value = body.preferredRepId { draft.preferredRepID = value }
        try v.finish()
        return draft
    }

    /// A stored customer as a draft, without validating it again.
    private init(stored: CustomerDTO) {
        customerNumber = stored.customerNumber
        fullName = stored.fullName
        preferredName = stored.preferredName
        phones = stored.phones.compactMap { phone in (try? PhoneNumber(e164: phone.number)).map { ($0, phone.label) } }
        emails = stored.emails
        handles = stored.handles.map { ($0.network, $0.handle) }
        timeZone = stored.timeZone
        notes = stored.notes
        preferredRepID = stored.preferredRepId
    }

    private init(
        customerNumber: String, fullName: String, preferredName: String?,
        phones: [(number: PhoneNumber, label: String?)],
        emails: [String], handles: [(network: String, handle: String)], timeZone: String?, notes: String,
        preferredRepID: UUID?
    ) {
        self.customerNumber = customerNumber
        self.fullName = fullName
        self.preferredName = preferredName
        self.phones = phones
        self.emails = emails
        self.handles = handles
        self.timeZone = timeZone
        self.notes = notes
        self.preferredRepID = preferredRepID
    }

    private static func phones(
        _ phones: [CustomerDTO.Phone], country: String, into v: inout FieldValidator
    ) -> [(number: PhoneNumber, label: String?)] {
        guard v.count(phones, "phones", max: Limits.phonesPerCustomer, "phone numbers") else { return [] }
        var parsed: [(number: PhoneNumber, label: String?)] = []
        for (index, phone) in phones.enumerated() {
            do {
                let number = try PhoneNumber(parsing: phone.number, defaultCountry: country)
                if parsed.contains(where: { $0.number == number }) {
                    v.add("phones[\(index)].number", "\(number.e164) is listed twice")
                } else {
                    parsed.append(
                        (number, v.text(phone.label, "phones[\(index)].label", required: false, maxLength: 40)))
                }
            } catch {
                v.add("phones[\(index)].number", error.description)
            }
        }
        return parsed
    }

    private static func emails(_ emails: [String], into v: inout FieldValidator) -> [String] {
        guard v.count(emails, "emails", max: Limits.emailsPerCustomer, "email addresses") else { return [] }
        var parsed: [String] = []
        var seen: Set<String> = []
        for (index, email) in emails.enumerated() {
            let address = email.trimmingCharacters(in: .whitespaces).lowercased()
            if EmailAddress.isPlausible(address) {
                if seen.insert(address).inserted { parsed.append(address) }
            } else {
                v.add("emails[\(index)]", "is not an email address")
            }
        }
        return parsed
    }

    private static func handles(
        _ handles: [CustomerDTO.Handle], into v: inout FieldValidator
    ) -> [(network: String, handle: String)] {
        guard v.count(handles, "handles", max: Limits.handlesPerCustomer, "social handles") else { return [] }
        var parsed: [(network: String, handle: String)] = []
        var seen: Set<String> = []
        for (index, handle) in handles.enumerated() {
            let network = v.text(handle.network, "handles[\(index)].network", maxLength: 30)?.lowercased()
            var name = v.text(handle.handle, "handles[\(index)].handle", maxLength: 100)?.lowercased()
            if name?.hasPrefix("@") == true { name?.removeFirst() }
            if let network, let name, !name.isEmpty, seen.insert(network + "\u{1F}" + name).inserted {
                parsed.append((network, name))
            }
        }
        return parsed
    }

    private static func timeZone(_ raw: String?, into v: inout FieldValidator) -> String? {
        let zone = v.text(raw, "timeZone", required: false, maxLength: 64)
        if let zone, TimeZone(identifier: zone) == nil {
            v.add("timeZone", "'\(zone)' is not an IANA time zone such as America/Chicago")
            return nil
        }
        return zone
    }

    private static func notes(_ raw: String?, into v: inout FieldValidator) -> String {
        v.text(raw, "notes", required: false, maxLength: Limits.customerNotes) ?? ""
    }
}
