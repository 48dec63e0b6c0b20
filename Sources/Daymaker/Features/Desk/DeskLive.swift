import DaymakerCore
import Fluent
import Vapor

/// `GET /desk/live`: the rep's desk over a WebSocket. On connecting, and whenever the rep's offers or presence
/// change (on any instance), the server sends the whole desk state; a desk that reconnects gets it again, so an
/// offer is never lost or shown twice. The client may send `sync` to ask for it at any time.
enum DeskLive {
    /// What the desk shows: the rep's presence and open offers.
    struct State: Content, Equatable {
        var type = "desk"
        var presence: PresenceDTO
        var offers: [LiveOffer]
        /// The contact the rep is on, or the one that ended and waits for their wrap-up.
        var current: CurrentContact?
        /// Thanks from customers and kudos, then messages other reps left for this one: unread, newest first.
        var messages: [LiveMessage] = []
    }

    struct LiveMessage: Content, Equatable {
        @LowercaseID var id: UUID
        /// `message` (from another rep) or `thanks` (a customer's thanks, a peer's or supervisor's kudos).
        var kind: String
        /// "Message from Tom about John", "Mrs Alvarez thanked you".
        var heading: String
        /// Where "Mark read" posts.
        var read: String
        var from: String
        var customerName: String?
        var text: String
        var at: Date
        var card: String?
    }

    struct CurrentContact: Content, Equatable {
        @LowercaseID var id: UUID
        var program: String
        var channel: Contact.Channel
        var from: String
        var customerName: String?
        var answeredAt: Date?
        var endedAt: Date?
        var reason: String?
        var summary: String?
        var rootCauses: [String]
        /// The program's root causes to choose from in wrap-up.
        var rootCauseChoices: [String]
        /// Over, and waiting for reason, summary and resolution.
        var needsWrapUp: Bool
        var card: String?
        /// The rep the customer asked for, when it is someone else: leave them a message.
        var askedFor: AskedFor?
    }

    /// An offer with what the rep needs to take it: who, from where, and why it came to them.
    struct LiveOffer: Content, Equatable {
        var offer: OfferDTO
        var channel: Contact.Channel
        var from: String
        var program: String
        var customerName: String?
        /// "Asked for you", "You helped last on 3 Sep", …
        var why: String
        var requestedRep: String?
        /// When the customer asked for someone else: who, and where they are ("Asked for Sarah — Sarah is away").
        var askedFor: AskedFor?
        var routingNote: String?
        /// The recognition card's page, when the caller is known.
        var card: String?
    }

    /// The rep a customer asked for, when the offer went to someone else: the answering rep sees it first.
    struct AskedFor: Content, Equatable {
        @LowercaseID var repId: UUID
        var name: String
        var presence: Presence
        var text: String
    }

    static func register(_ routes: any RoutesBuilder) {
        routes.grouped(SameOrigin()).webSocket("desk", "live") { req, ws in await serve(req, ws) }
    }

    /// A page of another site must not open a rep's desk with the rep's cookie (browsers send cookies with
    /// cross-site WebSocket requests, and CSRF tokens do not cover them): its `Origin` must be this server.
    struct SameOrigin: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            if let origin = request.headers.first(name: .origin) {
                guard let host = request.headers.first(name: .host), let url = URL(string: origin),
                    url.host.map({ $0 + (url.port.map { ":\($0)" } ?? "") }) == host
                else { throw AccessError.crossOrigin }
            }
            return try await next.respond(to: request)
        }
    }

    private static func serve(_ req: Request, _ ws: WebSocket) async {
        guard let principal = req.principal else {
            try? await ws.close(code: .policyViolation)
            return
        }
        let app = req.application
        let stream = app.events.hub.events()
        let send: @Sendable () async -> Void = {
            do {
                let state = try await Self.state(for: principal, now: app.clock.now, on: app.db)
                let data = try JSONEncoder.daymaker.encode(state)
                try await ws.send(String(decoding: data, as: UTF8.self))
            } catch {
                app.logger.warning("Desk state not sent: \(String(reflecting: type(of: error)))")
            }
        }
        let watcher = Task {
            for await event in stream {
                switch event {
                case .offerChanged(principal.userID), .presenceChanged(principal.userID),
                    .messageLeft(principal.userID), .feedInterrupted:
                    await send()
                default: continue
                }
            }
        }
        ws.onText { _, text in
            if text == "sync" { await send() }
        }
        ws.onClose.whenComplete { _ in watcher.cancel() }
        await send()
    }

    /// The rep's desk now.
    static func state(for principal: Principal, now: Date, on db: any Database) async throws -> State {
        let presence = try await PresenceRecord.query(on: db).filter(\.$user.$id == principal.userID).first()
        let offers = try await Offer.query(on: db).filter(\.$rep.$id == principal.userID)
            .filter(\.$status == .open).filter(\.$expiresAt > now).with(\.$contact).sort(\.$offeredAt).all()
        var live: [LiveOffer] = []
        for offer in offers {
            let contact = offer.contact
            guard let program = try await Program.find(contact.$program.id, on: db) else { continue }
            let customer = try await contact.$customer.get(on: db)
            live.append(
                LiveOffer(
                    offer: try OfferDTO(offer), channel: contact.channel, from: contact.fromAddress,
                    program: program.code, customerName: customer.map { $0.preferredName ?? $0.fullName },
                    why: try await why(offer, zone: program.zone, on: db), requestedRep: contact.requestedRep,
                    askedFor: try await askedFor(contact, offeredTo: offer.$rep.id, program: program, on: db),
                    routingNote: contact.routingNote,
                    card: try customer.map { "/desk/customers/\(try $0.requireID().lowercaseText)" }))
        }
        var current: CurrentContact?
        if let contact = try await WrapUp.current(of: principal.userID, now: now, on: db) {
            let program = try await Program.find(contact.$program.id, on: db)
            current = CurrentContact(
                id: try contact.requireID(), program: program?.code ?? "", channel: contact.channel,
                from: contact.fromAddress, customerName: contact.customer.map { $0.preferredName ?? $0.fullName },
                answeredAt: contact.answeredAt, endedAt: contact.endedAt, reason: contact.reason,
                summary: contact.summary, rootCauses: Vocabulary.stored(contact.rootCauses ?? ""),
                rootCauseChoices: program?.rootCauseVocabulary.all ?? [], needsWrapUp: contact.status == .ended,
                card: try contact.customer.map { "/desk/customers/\(try $0.requireID().lowercaseText)" },
                askedFor: program == nil
                    ? nil : try await askedFor(contact, offeredTo: principal.userID, program: program!, on: db))
        }
        let thanks = try await KudosWall.unread(for: principal.userID, on: db).map { kudos in
            let id = try kudos.requireID()
            return LiveMessage(
                id: id, kind: "thanks", heading: kudos.heading, read: "/desk/kudos/\(id.lowercaseText)/read",
                from: kudos.fromName, customerName: nil, text: kudos.text, at: kudos.createdAt,
                card: kudos.customerID.map { "/desk/customers/\($0.lowercaseText)" })
        }
        let messages = try await RepMessages.unread(for: principal.userID, on: db).map { message in
            let id = try message.requireID()
            let customer = message.customer.map { $0.preferredName ?? $0.fullName }
            return LiveMessage(
                id: id, kind: "message",
                heading: "Message from \(message.from.displayName)\(customer.map { " about \($0)" } ?? "")",
                read: "/desk/messages/\(id.lowercaseText)/read", from: message.from.displayName,
                customerName: customer, text: message.text, at: message.createdAt,
                card: try message.customer.map { "/desk/customers/\(try $0.requireID().lowercaseText)" })
        }
        return State(
            presence: PresenceDTO(userID: principal.userID, presence), offers: live, current: current,
            messages: thanks + messages)
    }

    /// The rep the customer asked for by name, if that is not the rep the contact was offered to.
    static func askedFor(
        _ contact: Contact, offeredTo rep: UUID, program: Program, on db: any Database
    ) async throws
        -> AskedFor?
    {
        guard let asked = contact.requestedRep?.nilIfBlank else { return nil }
        guard let user = try await User.members(named: asked, of: program.requireID(), on: db).first,
            let id = user.id, id != rep
        else { return nil }
        let presence = try await PresenceRecord.query(on: db).filter(\.$user.$id == id).first()?.state ?? .offline
        var text = "Asked for \(user.displayName) — \(user.displayName) is \(presence.rawValue)"
        if let customer = contact.$customer.id,
            let last = try await Contact.query(on: db).filter(\.$customer.$id == customer)
                .filter(\.$rep.$id == id).sort(\.$arrivedAt, .descending).first()
        {
            text += "; helped on \(DisplayTime.day(last.arrivedAt, zone: program.zone))"
        }
        return AskedFor(repId: id, name: user.displayName, presence: presence, text: text)
    }

    static func why(_ offer: Offer, zone: TimeZone, on db: any Database) async throws -> String {
        switch offer.reason {
        case .askedFor: return "Asked for you"
        case .preferred: return "You are their preferred rep"
        case .helpedLast:
            return offer.helpedAt.map { "You helped last on \(DisplayTime.day($0, zone: zone))" } ?? "You helped last"
        case .available: return "You have been free longest"
        case .transfer:
            var from: User?
            if let id = offer.transferredByID { from = try await User.find(id, on: db) }
            return "\(from?.displayName ?? "A colleague") is handing this contact to you"
        }
    }
}
