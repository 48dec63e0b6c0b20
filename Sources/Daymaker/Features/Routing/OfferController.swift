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

    init(_ offer: Offer) throws {
        id = try offer.requireID()
        contactId = offer.$contact.id
        reason = offer.reason
        helpedAt = offer.helpedAt
        status = offer.status
        offeredAt = offer.offeredAt
        expiresAt = offer.expiresAt
    }
}

/// `GET /api/v1/offers` (the caller's open offers), `POST /api/v1/offers/{id}/accept|decline`, and each program's
/// routing settings (`GET`/`PUT /api/v1/programs/{id}/routing-settings`, supervisors change them).
struct OfferController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("offers", use: mine)
        routes.post("offers", ":offerID", "accept", use: accept)
        routes.post("offers", ":offerID", "decline", use: decline)
        routes.get("programs", ":programID", "routing-settings", use: settings)
        routes.put("programs", ":programID", "routing-settings", use: updateSettings)
    }

    @Sendable func settings(req: Request) async throws -> RoutingSettingsDTO {
        let principal = try req.requirePrincipal()
        let program = try await ProgramController.visibleProgram(req, principal)
        return RoutingSettingsDTO(try await RoutingSettings.load(programID: try program.requireID(), on: req.db))
    }

    @Sendable func updateSettings(req: Request) async throws -> RoutingSettingsDTO {
        let principal = try req.requirePrincipal()
        let program = try await ProgramController.visibleProgram(req, principal)
        try principal.require(.supervisor)
        let body = try req.decodeStrict(RoutingSettingsDTO.self)
        let saved = try await RoutingSettings.save(
            body, programID: try program.requireID(), actor: principal.userID, now: req.now, on: req.db)
        return RoutingSettingsDTO(saved)
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
