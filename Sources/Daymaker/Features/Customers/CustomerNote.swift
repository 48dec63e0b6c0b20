import DaymakerCore
import Fluent
import Foundation

/// A rep's quick note on a customer ("prefers mornings; call back about the refund"). Notes are rows that are
/// only ever added — never one shared text read, changed and written back — so notes written at the same moment
/// by several reps are all kept.
final class CustomerNote: Model, @unchecked Sendable {
    static let schema = "customer_notes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "customer_id") var customer: Customer
    @Field(key: "program_id") var programID: UUID
    @OptionalField(key: "author_id") var authorID: UUID?
    /// The author's display name when the note was written.
    @Field(key: "author_name") var authorName: String
    @Field(key: "text") var text: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(customer: Customer, author: Principal, text: String, at: Date) throws {
        self.$customer.id = try customer.requireID()
        self.programID = customer.$program.id
        self.authorID = author.userID
        self.authorName = author.displayName
        self.text = text
        self.createdAt = at
    }
}

extension CustomerNote {
    /// Adds a note after checking its text (required, at most `Limits.quickNote` characters).
    static func add(
        to customer: Customer, text: String?, author: Principal, now: Date, on db: any Database
    ) async throws {
        var v = FieldValidator()
        let text = v.text(text, "note", maxLength: Limits.quickNote)
        try v.finish()
        try await CustomerNote(customer: customer, author: author, text: text ?? "", at: now).create(on: db)
    }

    /// The customer's notes, newest first.
    static func newest(customerID: UUID, limit: Int, on db: any Database) async throws -> [CustomerNote] {
        try await CustomerNote.query(on: db).filter(\.$customer.$id == customerID)
            .sort(\.$createdAt, .descending).sort(\.$id, .descending).limit(limit).all()
    }

    /// A note as the desk and the customer page show it: the program's local time, the author, the text.
    struct Line: Encodable {
        let when: String
        let author: String
        let text: String

        /// The customer's latest notes, newest first.
        static func newest(
            customerID: UUID, zone: TimeZone, limit: Int = 20, on db: any Database
        ) async throws -> [Line] {
            try await CustomerNote.newest(customerID: customerID, limit: limit, on: db).map {
                Line(when: DisplayTime.format($0.createdAt, in: zone), author: $0.authorName, text: $0.text)
            }
        }
    }
}
