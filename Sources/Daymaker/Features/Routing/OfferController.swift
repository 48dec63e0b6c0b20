import DaymakerCore
import Fluent
import Vapor

/// An offer as the rep's desk shows it.
struct OfferDTO: Content, Equatable {
    @LowercaseID var id: UUID
    @LowercaseID var contactId: UUID
    var reason: Offer.Reason
    var helpedAt: Date?
    var status: Offer.Status
    var offeredAt: Date
    var expiresAt: Date
    /// For a transfer: what the rep handing it over wants this rep to know.
    var note: String?

    init(_ offer: Offer) throws {
        id = try offer.requireID()
        contactId = offer.$contact.id
        reason = offer.reason
        helpedAt = offer.helpedAt
        status = offer.status
        offeredAt = offer.offeredAt
        expiresAt = offer.expiresAt
        note = offer.note
    }
}

/// `GET /api/v1/offers` (the caller's open offers) and `POST /api/v1/offers/{id}/accept|decline`.
struct OfferController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("offers", use: mine)
        routes.post("offers", ":offerID", "accept", use: accept)
        routes.post("offers", ":offerID", "decline", use: decline)
    }

    @Sendable func mine(req: Request) async throws -> ItemPage<OfferDTO> {
        let principal = try req.requirePrincipal()
        let offers = try await Offer.query(on: req.db).filter(\.$rep.$id == principal.userID)
            .filter(\.$status == .open).sort(\.$offeredAt).all()
        return ItemPage(items: try offers.map(OfferDTO.init), nextCursor: nil)
    }

    @Sendable func accept(req: Request) async throws -> OfferDTO {
        let principal = try req.requirePrincipal()
        let offer = try await Offers.accept(
            try req.uuidParameter("offerID", "Offer"), by: principal, now: req.now, on: req.db)
        await req.publish(.presenceChanged(principal.userID))
        if let from = offer.transferredByID { await req.publish(.presenceChanged(from)) }
        return try OfferDTO(offer)
    }

    @Sendable func decline(req: Request) async throws -> OfferDTO {
        let principal = try req.requirePrincipal()
        let offer = try await Offers.decline(
            try req.uuidParameter("offerID", "Offer"), by: principal, now: req.now, on: req.db)
        try await Router.route(programID: offer.programID, now: req.now, events: req.application.events, on: req.db)
        return try OfferDTO(offer)
    }
}
