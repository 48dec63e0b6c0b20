import DaymakerCore
import Fluent
import FluentSQL
import Foundation

/// Finds customers by any identifier a rep or a system might have: name, customer number,
/// phone number in any format, email address or social handle.
struct CustomerSearch {
    /// The programs to search, with the country their national phone numbers are read in.
    var programs: [(id: UUID, country: String)]
    /// One box for anything: matched against every identifier.
    var text: String?
    var phone: String?
    var email: String?
    var customerNumber: String?
    var name: String?
    var limit = PageRequest.defaultLimit
    var cursor: Cursor?

    /// Runs the search, ordered by name then id, one page at a time.
    func run(on db: any Database) async throws -> (customers: [Customer], nextCursor: String?) {
        let programIDs = programs.map(\.id)
        guard !programIDs.isEmpty else { return ([], nil) }
        let query = Customer.query(on: db).filter(\.$program.$id ~~ programIDs)

        if let phone = phone?.nilIfBlank {
            let numbers = phoneCandidates(phone)
            guard !numbers.isEmpty else {
                throw ValidationFailure(field: "phone", "'\(phone)' is not a phone number in any of your programs")
            }
            query.filter(\.$id ~~ (try await customerIDs(phones: numbers, on: db)))
        }
        if let email = email?.nilIfBlank {
            query.filter(\.$id ~~ (try await customerIDs(email: email, on: db)))
        }
        if let number = customerNumber?.nilIfBlank {
            query.filter(\.$customerNumber == number)
        }
        if let name = name?.nilIfBlank {
            query.filter(searchNameContains: name)
        }
        if let text = text?.nilIfBlank {
            var ids: [UUID] = []
            let numbers = phoneCandidates(text)
            if !numbers.isEmpty { ids += try await customerIDs(phones: numbers, on: db) }
            if text.contains("@") {
                ids += try await customerIDs(email: text, on: db)
                ids += try await customerIDs(handle: text, on: db)
            }
            query.group(.or) { or in
                or.filter(\.$customerNumber == text)
                or.filter(\.$customerNumber == text.uppercased())
                or.filter(searchNameContains: text)
                if !ids.isEmpty { or.filter(\.$id ~~ ids) }
            }
        }
        if let cursor {
            query.group(.or) { or in
                or.filter(\.$searchName > cursor.key)
                or.group(.and) { and in
                    and.filter(\.$searchName == cursor.key)
                    and.filter(\.$id > cursor.id)
                }
            }
        }
        let rows = try await query.sort(\.$searchName).sort(\.$id).limit(limit + 1).all()
        let page = Array(rows.prefix(limit))
        let next =
            rows.count > limit ? page.last.flatMap { c in c.id.map { Cursor(key: c.searchName, id: $0).encoded } } : nil
        return (page, next)
    }

    private var programIDs: [UUID] { programs.map(\.id) }

    /// The E.164 numbers the input could mean in the searched programs.
    private func phoneCandidates(_ raw: String) -> [String] {
        Set(programs.compactMap { try? PhoneNumber(parsing: raw, defaultCountry: $0.country).e164 }).sorted()
    }

    private func customerIDs(phones: [String], on db: any Database) async throws -> [UUID] {
        try await CustomerPhone.query(on: db)
            .filter(\.$e164 ~~ phones).filter(\.$programID ~~ programIDs)
            .all().map { $0.$customer.id }
    }

    private func customerIDs(email: String, on db: any Database) async throws -> [UUID] {
        try await CustomerEmail.query(on: db)
            .filter(\.$address == email.trimmingCharacters(in: .whitespaces).lowercased())
            .filter(\.$programID ~~ programIDs)
            .all().map { $0.$customer.id }
    }

    private func customerIDs(handle: String, on db: any Database) async throws -> [UUID] {
        var name = handle.trimmingCharacters(in: .whitespaces).lowercased()
        if name.hasPrefix("@") { name.removeFirst() }
        return try await CustomerHandle.query(on: db)
            .filter(\.$handle == name).filter(\.$programID ~~ programIDs)
            .all().map { $0.$customer.id }
    }
}

extension QueryBuilder where Model == Customer {
    /// Customers whose search name contains `text` literally: `%`, `_` and `\` typed by a user match themselves,
    /// not any text (SQL `LIKE … ESCAPE`, the same on SQLite and PostgreSQL).
    @discardableResult
    func filter(searchNameContains text: String) -> Self {
        filter(
            .sql(
                embed:
                    "\(ident: Customer.schema).\(ident: "search_name") LIKE \(bind: LikePattern.containing(text)) ESCAPE '\\'"
            ))
    }
}
