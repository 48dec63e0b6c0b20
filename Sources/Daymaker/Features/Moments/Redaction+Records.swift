import DaymakerCore
import Foundation

extension Redaction {
    /// How a record of the program about the customer is shown outside the program: the customer's names and
    /// number, the program's phone numbering, dates of birth up to the record's year in the program's zone.
    init(customer: Customer?, program: Program?, at date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = program?.zone ?? .gmt
        self.init(
            names: customer.map { [$0.fullName] + [$0.preferredName].compactMap { $0 } } ?? [],
            customerNumbers: customer.map { [$0.customerNumber] } ?? [], country: program?.country ?? "US",
            year: calendar.component(.year, from: date))
    }
}
