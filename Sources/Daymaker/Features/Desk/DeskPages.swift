import DaymakerCore
import Fluent
import Vapor

/// The desk: where a rep looks people up and sees their recognition card.
struct DeskPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let desk = routes.grouped("desk")
        desk.get(use: lookup)
        desk.get("customers", ":customerID", use: card)
        desk.post("customers", use: createCustomer)
        desk.post("customers", ":customerID", "note", use: addNote)
        desk.post("bookings", ":bookingID", "confirm", use: confirmBooking)
        desk.post("presence", use: choosePresence)
        desk.post("callbacks", use: bookCallback)
        desk.post("offers", ":offerID", "accept", use: acceptOffer)
        desk.post("offers", ":offerID", "decline", use: declineOffer)
        desk.post("contacts", ":contactID", "wrap-up", use: wrapUp)
        desk.post("contacts", ":contactID", "hard-story", use: shareHardContact)
        desk.post("contacts", ":contactID", "transfer", use: transfer)
        desk.post("messages", use: leaveMessage)
        desk.post("messages", ":messageID", "read", use: markMessageRead)
        desk.post("kudos", ":kudosID", "read", use: markKudosRead)
    }

    struct TransferForm: Content {
        var repId: UUID
        var note: String?
    }

    /// A warm transfer: the contact is offered to that rep with the note; it stays this rep's until they take it.
    @Sendable func transfer(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(TransferForm.self)
        do {
            let offer = try await Offers.transfer(
                try req.uuidParameter("contactID", "Contact"), to: form.repId, note: form.note, by: principal,
                now: req.now, on: req.db)
            await req.publish(.offerChanged(offer.$rep.id))
        } catch let failure as ValidationFailure {
            return try await refused("Not transferred", failure, principal, req)
        }
        return req.seeOther("/desk", notice: .transferOffered)
    }

    /// "Leave Sarah a message": on her desk at once.
    @Sendable func leaveMessage(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(RepMessages.Form.self)
        do {
            let message = try await RepMessages.leave(form, by: principal, now: req.now, on: req.db)
            await req.publish(.messageLeft(message.$toRep.id))
        } catch let failure as ValidationFailure {
            return try await refused("Message not left", failure, principal, req)
        }
        return req.seeOther("/desk", notice: .messageLeft)
    }

    @Sendable func markMessageRead(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try await RepMessages.markRead(
            try req.uuidParameter("messageID", "Message"), by: principal, now: req.now, on: req.db)
        await req.publish(.messageLeft(principal.userID))
        return req.seeOther("/desk", notice: .messageRead)
    }

    @Sendable func markKudosRead(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try await KudosWall.markRead(try req.uuidParameter("kudosID", "Kudos"), by: principal, now: req.now, on: req.db)
        await req.publish(.messageLeft(principal.userID))
        return req.seeOther("/desk", notice: .messageRead)
    }

    /// The rep's wrap-up of the contact they just had; done, they are available.
    @Sendable func wrapUp(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(WrapUp.Form.self)
        let id = try req.uuidParameter("contactID", "Contact")
        do {
            if try await WrapUp.save(form, contactID: id, by: principal, now: req.now, on: req.db) {
                await req.publish(.presenceChanged(principal.userID))
            }
            if form.wellbeing?.nilIfBlank != nil, let contact = try await Contact.find(id, on: req.db) {
                await req.publish(.queueChanged(contact.$program.id))
                return req.seeOther("/desk", notice: .hardContactFlagged)
            }
        } catch let failure as ValidationFailure {
            return try await refused("Wrap-up not saved", failure, principal, req)
        }
        return req.seeOther("/desk", notice: .wrappedUp)
    }

    /// Shares one of the rep's own flagged contacts as a hard contact in the challenge running in its program, in
    /// one action: its summary is the story (seen only by the rep and supervisors; the supportive questions follow).
    @Sendable func shareHardContact(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let id = try req.uuidParameter("contactID", "Contact")
        guard let contact = try await Contact.find(id, on: req.db), contact.$rep.id == principal.userID,
            contact.wellbeing != nil
        else { throw NotFound("Contact") }
        guard try await ChallengeStory.query(on: req.db).filter(\.$contactID == id).count() == 0 else {
            throw ChallengeError.sharedAlready
        }
        guard let challenge = try await Challenges.running(in: contact.$program.id, at: req.now, on: req.db) else {
            throw ValidationFailure(field: "challenge", "no challenge is running in this program now")
        }
        let flag = contact.wellbeing?.rawValue ?? "hard"
        _ = try await Challenges.tell(
            StoryRequest(
                kind: .hardContact,
                text: contact.summary?.nilIfBlank ?? "A \(flag) contact with \(contact.fromAddress).", contactId: id),
            in: try challenge.requireID(), by: principal, now: req.now, on: req.db)
        return req.seeOther("/desk", notice: .hardContactShared)
    }

    /// The desk again with what was wrong (a desk form's fields are few: one line says it).
    private func refused(
        _ what: String, _ failure: ValidationFailure, _ principal: Principal, _ req: Request
    ) async throws -> Response {
        let programs = try await Program.visible(to: principal, on: req.db)
        guard let program = programs.first else { throw AccessError.noProgram }
        var view = DeskView(programs: programs, selected: program, notice: nil)
        view.error = "\(what): " + failure.errors.map(\.detail).joined(separator: "; ")
        return try await render(view, req, status: .unprocessableEntity)
    }

    @Sendable func lookup(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let programs = try await Program.visible(to: principal, on: req.db)
        let code = req.query[String.self, at: "program"]?.uppercased()
        guard let program = programs.first(where: { $0.code == code }) ?? programs.first else {
            throw AccessError.noProgram
        }
        var view = DeskView(programs: programs, selected: program, notice: req.notice)
        guard let query = req.query[String.self, at: "q"]?.nilIfBlank else { return try await render(view, req) }
        view.query = query
        do {
            switch try await DeskLookup.find(
                query, in: program, for: principal, now: req.now, sources: req.application.cardSources, on: req.db)
            {
            case .card(let card): try await view.show(card, zone: program.zone, on: req.db)
            case .candidates(let candidates): view.candidates = candidates
            case .customer(let id): return req.seeOther("/desk/customers/\(id)")
            case .newCaller(let newCaller): view.newCaller = newCaller
            }
        } catch let failure as ValidationFailure {
            view.error = failure.errors.first?.detail
            return try await render(view, req, status: .unprocessableEntity)
        }
        return try await render(view, req)
    }

    @Sendable func card(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let customer = try await Customer.visible(
            try req.uuidParameter("customerID", "Customer"), to: principal, on: req.db)
        let program = try await customer.$program.get(on: req.db)
        let card = try await RecognitionCard.card(
            for: try customer.requireID(), program: program, reader: principal, now: req.now,
            sources: req.application.cardSources, on: req.db)
        var view = DeskView(
            programs: try await Program.visible(to: principal, on: req.db), selected: program, notice: req.notice)
        try await view.show(card, zone: program.zone, on: req.db)
        return try await render(view, req)
    }

    struct NewCustomerForm: Content {
        var program: String
        var fullName: String?
        var preferredName: String?
        var phone: String?
        var email: String?
        var handle: String?
    }

    /// One-step creation for a new caller, keeping the identifier they called from.
    @Sendable func createCustomer(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(NewCustomerForm.self)
        let program = try await Program.visible(code: form.program, to: principal, on: req.db)
        do {
            let customer = try await Customer.createAtDesk(
                fullName: form.fullName, preferredName: form.preferredName, phone: form.phone, email: form.email,
                handle: form.handle, in: program, on: req.db)
            return req.seeOther("/desk/customers/\(try customer.requireID())", notice: .customerAdded)
        } catch {
            guard let failure = FormFailure(error, field: "customerNumber") else { throw error }
            var view = DeskView(
                programs: try await Program.visible(to: principal, on: req.db), selected: program, notice: nil)
            view.newCaller = .init(
                greeting: "", phone: form.phone ?? "", email: form.email ?? "", handle: form.handle ?? "",
                name: form.fullName ?? "")
            view.error = failure.summary
            return try await render(view, req, status: failure.status)
        }
    }

    private func render(_ view: DeskView, _ req: Request, status: HTTPResponseStatus = .ok) async throws -> Response {
        var view = view
        let principal = try req.requirePrincipal()
        view.feed = try await Moments.feed(for: principal, now: req.now, on: req.db)
        view.wall = "/reps/\(principal.userID.lowercaseText)"
        var lines: [DeskView.HardContactLine] = []
        for contact in try await Wellbeing.recent(of: principal.userID, now: req.now, on: req.db) {
            let running = try await Challenges.running(in: contact.$program.id, at: req.now, on: req.db)
            lines.append(
                .init(
                    id: try contact.requireID().lowercaseText,
                    what: [contact.wellbeing?.rawValue, contact.customer.map { $0.preferredName ?? $0.fullName }]
                        .compactMap { $0 }.joined(separator: " · "),
                    shareable: running != nil))
        }
        view.hardContacts = lines
        view.teammates = try await User.repChoices(
            in: try await Program.visible(to: principal, on: req.db), chosen: [], on: req.db
        ).filter { $0.value != principal.userID.lowercaseText }
        return try await req.page("desk/desk", title: view.title, section: "desk", view, status: status)
    }

    struct NoteForm: Content { var note: String? }

    /// The quick note: a new row, signed by the rep and dated (never a rewrite of shared text).
    @Sendable func addNote(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let customer = try await Customer.visible(
            try req.uuidParameter("customerID", "Customer"), to: principal, on: req.db)
        let form = try req.content.decode(NoteForm.self)
        let path = "/desk/customers/\(try customer.requireID())"
        guard form.note?.nilIfBlank != nil else { return req.seeOther(path, notice: .writeNoteFirst) }
        try await CustomerNote.add(to: customer, text: form.note, author: principal, now: req.now, on: req.db)
        return req.seeOther(path, notice: .noteSaved)
    }

    @Sendable func confirmBooking(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let booking = try await Booking.visible(
            try req.uuidParameter("bookingID", "Booking"), to: principal, on: req.db)
        let program = try await Program.find(booking.programID, on: req.db)
        try await booking.confirm(by: principal, contactID: nil, now: req.now, zone: program?.zone ?? .gmt, on: req.db)
        return req.seeOther("/desk/customers/\(booking.$customer.id)", notice: .bookingConfirmed)
    }

    struct PresenceForm: Content { var state: Presence }

    @Sendable func choosePresence(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(PresenceForm.self)
        guard let user = try await User.find(principal.userID, on: req.db) else { throw NotFound("User") }
        _ = try await RepPresence.choose(form.state, for: user, by: principal, now: req.now, on: req.db)
        try await RepPresence.announce(principal.userID, became: form.state, app: req.application, now: req.now)
        return req.seeOther("/desk", notice: .presenceChanged)
    }

    /// Accepting opens the caller's card (or the desk for someone not yet known).
    @Sendable func acceptOffer(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let offer = try await Offers.accept(
            try req.uuidParameter("offerID", "Offer"), by: principal, now: req.now, on: req.db)
        await req.publish(.presenceChanged(principal.userID))
        if let from = offer.transferredByID { await req.publish(.presenceChanged(from)) }
        let contact = try await offer.$contact.get(on: req.db)
        guard let customer = contact.$customer.id else { return req.seeOther("/desk", notice: .offerAccepted) }
        return req.seeOther("/desk/customers/\(customer)", notice: .offerAccepted)
    }

    @Sendable func declineOffer(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let offer = try await Offers.decline(
            try req.uuidParameter("offerID", "Offer"), by: principal, now: req.now, on: req.db)
        try await Router.route(programID: offer.programID, now: req.now, events: req.application.events, on: req.db)
        return req.seeOther("/desk", notice: .offerDeclined)
    }

    struct CallbackForm: Content {
        var program: String
        var contactId: UUID
        var repId: UUID
    }

    /// "Book a callback from Sarah": due in Sarah's next shift, to the number the contact came from.
    @Sendable func bookCallback(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        let form = try req.content.decode(CallbackForm.self)
        let program = try await Program.visible(code: form.program, to: principal, on: req.db)
        _ = try await Callbacks.book(
            CallbackRequest(program: form.program, contactId: form.contactId, repId: form.repId), in: program,
            source: .desk, by: principal.userID, now: req.now, on: req.db)
        return req.seeOther("/desk", notice: .callbackBooked)
    }
}
