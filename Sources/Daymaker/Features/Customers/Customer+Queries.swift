import DaymakerCore
import Fluent
import Foundation

extension Customer {
    /// Creates a customer and its phones, emails and handles in one transaction.
    static func create(
        _ draft: CustomerDraft, programID: UUID, doNotContact: Bool = false, on db: any Database
    ) async throws -> Customer {
        try await db.writeTransaction { tx in
            try await ensureUnique(number: draft.customerNumber, programID: programID, except: nil, on: tx)
            let customer = Customer(
                programID: programID, customerNumber: draft.customerNumber, fullName: draft.fullName,
                preferredName: draft.preferredName, timeZone: draft.timeZone, notes: draft.notes)
            customer.$preferredRep.id = draft.preferredRepID
            customer.doNotContact = doNotContact
            try await customer.create(on: tx)
            try await customer.replaceIdentifiers(with: draft, on: tx)
            return customer
        }
    }

    /// Which lists of identifiers a write replaces.
    struct IdentifierLists: OptionSet, Sendable {
        let rawValue: Int
        static let phones = IdentifierLists(rawValue: 1)
        static let emails = IdentifierLists(rawValue: 2)
        static let handles = IdentifierLists(rawValue: 4)
        static let all: IdentifierLists = [.phones, .emails, .handles]
    }

    /// Applies a validated draft to an existing customer in one transaction. Only the identifier lists named in
    /// `replacing` are rewritten; the others are left exactly as stored.
    func update(with draft: CustomerDraft, replacing lists: IdentifierLists = .all, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            try await Customer.ensureUnique(
                number: draft.customerNumber, programID: self.$program.id, except: self.id, on: tx)
            self.customerNumber = draft.customerNumber
            self.fullName = draft.fullName
            self.preferredName = draft.preferredName
            self.searchName = Customer.searchName(fullName: draft.fullName, preferredName: draft.preferredName)
            self.timeZone = draft.timeZone
            self.notes = draft.notes
            self.$preferredRep.id = draft.preferredRepID
            try await self.save(on: tx)
            try await self.replaceIdentifiers(with: draft, lists, on: tx)
        }
    }

    private func replaceIdentifiers(
        with draft: CustomerDraft, _ lists: IdentifierLists = .all, on db: any Database
    ) async throws {
        let id = try requireID()
        let programID = $program.id
        if lists.contains(.phones) {
            try await CustomerPhone.query(on: db).filter(\.$customer.$id == id).delete()
            let phones = draft.phones.enumerated().map { index, phone in
                CustomerPhone(
                    customerID: id, programID: programID, number: phone.number, label: phone.label, position: index)
            }
            if !phones.isEmpty { try await phones.create(on: db) }
        }
        if lists.contains(.emails) {
            try await CustomerEmail.query(on: db).filter(\.$customer.$id == id).delete()
            let emails = draft.emails.enumerated().map { index, address in
                CustomerEmail(customerID: id, programID: programID, address: address, position: index)
            }
            if !emails.isEmpty { try await emails.create(on: db) }
        }
        if lists.contains(.handles) {
            try await CustomerHandle.query(on: db).filter(\.$customer.$id == id).delete()
            let handles = draft.handles.enumerated().map { index, handle in
                CustomerHandle(
                    customerID: id, programID: programID, network: handle.network, handle: handle.handle,
                    position: index)
            }
            if !handles.isEmpty { try await handles.create(on: db) }
        }
    }

    private static func ensureUnique(
        number: String, programID: UUID, except id: UUID?, on db: any Database
    ) async throws {
        let query = Customer.query(on: db).filter(\.$program.$id == programID).filter(\.$customerNumber == number)
        if let id { query.filter(\.$id != id) }
        if try await query.count() > 0 {
            throw CustomerError.numberTaken(number)
        }
    }

    /// Loads customers with their identifiers and program code, as the API shows them.
    static func dtos(_ customers: [Customer], on db: any Database) async throws -> [CustomerDTO] {
        let ids = customers.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        async let phoneRows = CustomerPhone.query(on: db).filter(\.$customer.$id ~~ ids).sort(\.$position).all()
        async let emailRows = CustomerEmail.query(on: db).filter(\.$customer.$id ~~ ids).sort(\.$position).all()
        async let handleRows = CustomerHandle.query(on: db).filter(\.$customer.$id ~~ ids).sort(\.$position).all()
        async let programRows = Program.query(on: db).filter(\.$id ~~ Set(customers.map { $0.$program.id })).all()
        let phones = Dictionary(grouping: try await phoneRows, by: { $0.$customer.id })
        let emails = Dictionary(grouping: try await emailRows, by: { $0.$customer.id })
        let handles = Dictionary(grouping: try await handleRows, by: { $0.$customer.id })
        let codes = Dictionary(
            uniqueKeysWithValues: try await programRows.compactMap { p in p.id.map { ($0, p.code) } })
        return customers.compactMap { customer in
            guard let id = customer.id else { return nil }
            return CustomerDTO(
                id: id, program: codes[customer.$program.id] ?? "", customerNumber: customer.customerNumber,
                fullName: customer.fullName, preferredName: customer.preferredName,
                phones: (phones[id] ?? []).map { .init(number: $0.e164, label: $0.label) },
                emails: (emails[id] ?? []).map(\.address),
                handles: (handles[id] ?? []).map { .init(network: $0.network, handle: $0.handle) },
                timeZone: customer.timeZone, notes: customer.notes, preferredRepId: customer.$preferredRep.id,
                doNotContact: customer.doNotContact, createdAt: customer.createdAt, updatedAt: customer.updatedAt)
        }
    }

    /// The customer if the principal may see it; otherwise a 404 problem.
    static func visible(_ id: UUID, to principal: Principal, on db: any Database) async throws -> Customer {
        guard let customer = try await Customer.find(id, on: db), principal.canSee(program: customer.$program.id) else {
            throw NotFound("Customer")
        }
        return customer
    }
}

extension Customer {
    /// Someone new, created at the desk in one step with the identifier they called from and a fresh number.
    static func createAtDesk(
        fullName: String?, preferredName: String?, phone: String?, email: String?, handle: String?, in program: Program,
        on db: any Database
    ) async throws -> Customer {
        let programID = try program.requireID()
        let draft = try CustomerDraft.validate(
            customerNumber: try await nextNumber(programID: programID, on: db), fullName: fullName,
            preferredName: preferredName, phones: phone?.nilIfBlank.map { [.init(number: $0, label: nil)] } ?? [],
            emails: email?.nilIfBlank.map { [$0] } ?? [],
            handles: handle?.nilIfBlank.map { [.init(network: "social", handle: $0)] } ?? [],
            timeZone: nil, notes: nil, preferredRepID: nil, country: program.country)
        return try await create(draft, programID: programID, on: db)
    }

    /// A fresh customer number for someone created at the desk (`D-` and six digits, unique in the program).
    static func nextNumber(programID: UUID, on db: any Database) async throws -> String {
        for _ in 0..<20 {
            let number = "D-" + String(Int.random(in: 100_000...999_999))
            if try await Customer.query(on: db).filter(\.$program.$id == programID).filter(\.$customerNumber == number)
                .count() == 0
            {
                return number
            }
        }
        throw CustomerError.noFreeNumber
    }
}
