import Fluent
import Foundation

@testable import Daymaker

extension Contact {
    /// A stored inbound contact of the program that ended at `endedAt` after five minutes, answered by `rep`.
    static func ended(
        program: UUID, customer: UUID?, rep: UUID?, channel: Contact.Channel = .voice, from: String, endedAt: Date,
        on db: any Database
    ) async throws -> Contact {
        let contact = Contact()
        contact.$program.id = program
        contact.$customer.id = customer
        contact.channel = channel
        contact.direction = .inbound
        contact.fromAddress = from
        contact.toAddress = "+13125550100"
        contact.status = .ended
        contact.arrivedAt = endedAt.addingTimeInterval(-300)
        contact.answeredAt = contact.arrivedAt.addingTimeInterval(20)
        contact.endedAt = endedAt
        contact.$rep.id = rep
        try await contact.create(on: db)
        return contact
    }
}
