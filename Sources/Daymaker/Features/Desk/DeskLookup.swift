import DaymakerCore
import Fluent
import Foundation

/// What the desk's one box finds for what a rep typed: an email, a handle, a phone number, a customer number or a
/// name, in the program the rep is working in.
enum DeskLookup {
    enum Outcome {
        /// One person: their recognition card.
        case card(RecognitionCard)
        /// Several people (a household sharing a phone, a common name): the rep picks.
        case candidates([DeskView.Candidate])
        /// One person found by name: their page.
        case customer(UUID)
        /// Nobody: the new-caller form, with the identifier they were looked up by.
        case newCaller(DeskView.NewCaller)
    }

    /// Throws `ValidationFailure` when the box holds something that cannot be an identifier.
    static func find(
        _ query: String, in program: Program, for principal: Principal, now: Date, sources: CardSources,
        on db: any Database
    ) async throws -> Outcome {
        let identifier = classify(query, country: program.country)
        let settings = try await RecognitionSettings.load(programID: try program.requireID(), on: db)
        func recognise(phone: String?, customerNumber: String?) async throws -> RecognitionResponse {
            try await RecognitionLookup.recognise(
                program: program, settings: settings, principal: principal, phone: phone,
                customerNumber: customerNumber,
                email: identifier.email, handle: identifier.handle, now: now, sources: sources, on: db)
        }
        var response = try await recognise(phone: identifier.phone, customerNumber: identifier.customerNumber)
        if response.matches.isEmpty, identifier.phone != nil, query.allSatisfy({ $0.isNumber }) {
            // Seven or more digits may also be a customer number.
            response = try await recognise(phone: nil, customerNumber: query)
        }
        if response.matches.count == 1 { return .card(response.matches[0]) }
        if response.matches.count > 1 { return .candidates(response.matches.map(candidate)) }
        if identifier.customerNumber != nil {
            // Not a customer number: treat it as (part of) a name.
            let search = CustomerSearch(programs: [(try program.requireID(), program.country)], name: query, limit: 20)
            let (customers, _) = try await search.run(on: db)
            if customers.count == 1, let id = customers.first?.id { return .customer(id) }
            if !customers.isEmpty {
                return .candidates(
                    customers.compactMap { customer in
                        customer.id.map {
                            DeskView.Candidate(
                                id: $0, name: customer.fullName, customerNumber: customer.customerNumber,
                                detail: customer.preferredName.map { "“\($0)”" } ?? "")
                        }
                    })
            }
        }
        return .newCaller(
            DeskView.NewCaller(
                greeting: response.newCallerGreeting ?? "",
                phone: response.identifier.withheld ? "" : (identifier.phone ?? ""),
                email: identifier.email ?? "", handle: identifier.handle ?? "", name: identifier.customerNumber ?? ""))
    }

    /// What the one box holds: an email, a handle, a phone number, or else a customer number (or a name).
    static func classify(
        _ query: String, country: String
    ) -> (phone: String?, customerNumber: String?, email: String?, handle: String?) {
        if query.hasPrefix("@") { return (nil, nil, nil, query) }
        if query.contains("@") { return (nil, nil, query, nil) }
        let digits = query.filter(\.isNumber)
        if digits.count >= 7, (try? PhoneNumber(parsing: query, defaultCountry: country)) != nil {
            return (query, nil, nil, nil)
        }
        return (nil, query, nil, nil)
    }

    static func candidate(_ card: RecognitionCard) -> DeskView.Candidate {
        DeskView.Candidate(
            id: card.customer.id, name: card.customer.name, customerNumber: card.customer.customerNumber,
            detail: (card.regular ? "regular · " : "") + CardView.rhythm(card))
    }
}
