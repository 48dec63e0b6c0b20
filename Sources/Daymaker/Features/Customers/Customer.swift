import DaymakerCore
import Fluent
import Foundation

/// A person who contacts a program.
final class Customer: Model, @unchecked Sendable {
    static let schema = "customers"

    @ID(key: .id) var id: UUID?
    @Parent(key: "program_id") var program: Program
    /// The program's own number for this customer (unique within the program).
    @Field(key: "customer_number") var customerNumber: String
    @Field(key: "full_name") var fullName: String
    /// What they like to be called ("John", "Mrs. Alvarez").
    @OptionalField(key: "preferred_name") var preferredName: String?
    /// Lower-cased full and preferred name, for case-insensitive search on every database.
    @Field(key: "search_name") var searchName: String
    @OptionalField(key: "time_zone") var timeZone: String?
    @Field(key: "notes") var notes: String
    @OptionalParent(key: "preferred_rep_id") var preferredRep: User?
    /// Asked not to be contacted beyond what they ask for: no surveys.
    @Field(key: "do_not_contact") var doNotContact: Bool
    @Children(for: \.$customer) var phones: [CustomerPhone]
    @Children(for: \.$customer) var emails: [CustomerEmail]
    @Children(for: \.$customer) var handles: [CustomerHandle]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(
        id: UUID? = nil, programID: UUID, customerNumber: String, fullName: String, preferredName: String?,
        timeZone: String? = nil, notes: String = ""
    ) {
        self.id = id
        self.$program.id = programID
        self.customerNumber = customerNumber
        self.fullName = fullName
        self.preferredName = preferredName
        self.searchName = Customer.searchName(fullName: fullName, preferredName: preferredName)
        self.timeZone = timeZone
        self.notes = notes
        self.doNotContact = false
    }

    static func searchName(fullName: String, preferredName: String?) -> String {
        [fullName, preferredName ?? ""].joined(separator: " ").lowercased()
    }
}

/// One of a customer's phone numbers, stored in E.164.
final class CustomerPhone: Model, @unchecked Sendable {
    static let schema = "customer_phones"

    @ID(key: .id) var id: UUID?
    @Parent(key: "customer_id") var customer: Customer
    /// Copied from the customer so a lookup by number within a program is one index probe.
    @Field(key: "program_id") var programID: UUID
    @Field(key: "e164") var e164: String
    @OptionalField(key: "label") var label: String?
    @Field(key: "position") var position: Int

    init() {}

    init(customerID: UUID, programID: UUID, number: PhoneNumber, label: String?, position: Int) {
        self.$customer.id = customerID
        self.programID = programID
        self.e164 = number.e164
        self.label = label
        self.position = position
    }
}

/// One of a customer's email addresses, lower-cased.
final class CustomerEmail: Model, @unchecked Sendable {
    static let schema = "customer_emails"

    @ID(key: .id) var id: UUID?
    @Parent(key: "customer_id") var customer: Customer
    @Field(key: "program_id") var programID: UUID
    @Field(key: "address") var address: String
    @Field(key: "position") var position: Int

    init() {}

    init(customerID: UUID, programID: UUID, address: String, position: Int) {
        self.$customer.id = customerID
        self.programID = programID
        self.address = address.lowercased()
        self.position = position
    }
}

/// One of a customer's social handles (`network` is e.g. "x", "facebook", "instagram").
final class CustomerHandle: Model, @unchecked Sendable {
    static let schema = "customer_handles"

    @ID(key: .id) var id: UUID?
    @Parent(key: "customer_id") var customer: Customer
    @Field(key: "program_id") var programID: UUID
    @Field(key: "network") var network: String
    /// Lower-cased, without a leading "@".
    @Field(key: "handle") var handle: String
    @Field(key: "position") var position: Int

    init() {}

    init(customerID: UUID, programID: UUID, network: String, handle: String, position: Int) {
        self.$customer.id = customerID
        self.programID = programID
        self.network = network.lowercased()
        self.handle = handle.lowercased()
        self.position = position
    }
}
