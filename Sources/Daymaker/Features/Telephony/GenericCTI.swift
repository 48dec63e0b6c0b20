import DaymakerCore
import Fluent
import Vapor

/// `POST /telephony/generic-cti/{program}/{token}`: the call events a PBX already pushes to Zammad's "CTI
/// (generic)" integration, unchanged (`newCall`, `answer`, `hangup`; JSON, URL-encoded or multipart form), turned
/// into the same contact events as `POST /api/v1/events`. Point a connector written for Zammad at this address and
/// it works. The token is a Daymaker API token with the `telephony` scope whose user is a member of the program; it
/// is in the path because that is where Zammad's connectors put it, and the request log masks it.
struct GenericCTIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(PathToken(), BearerAuthMiddleware())
            .on(.POST, ":program", ":token", body: .collect(maxSize: "16kb"), use: receive).allowingTelephony()
    }

    @Sendable func receive(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        try principal.require(scope: .telephony)
        let program = try await Program.visible(code: req.parameters.get("program") ?? "", to: principal, on: req.db)
        let call = try req.content.decode(GenericCTICall.self).validated()
        if let event = try await call.event(program: program, now: req.now, on: req.db) {
            _ = try await ContactEvents.apply(
                event, program: program, now: req.now, events: req.application.events, on: req.db)
        }
        // Zammad answers an empty object; connectors expect it.
        let response = Response(status: .ok, body: .init(staticString: "{}"))
        response.headers.contentType = .json
        return response
    }

    /// Moves the token from the path into the `Authorization` header, so the usual bearer check applies.
    struct PathToken: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            if request.headers.bearerAuthorization == nil, let token = request.parameters.get("token") {
                request.headers.bearerAuthorization = .init(token: token)
            }
            return try await next.respond(to: request)
        }
    }
}

/// One Generic CTI event as a PBX sends it.
struct GenericCTICall: Content {
    enum Event: String, ClosedSet, Sendable { case newCall, answer, hangup }

    var event: String
    var from: String?
    var to: String?
    /// `in` or `out`.
    var direction: String?
    var callId: String
    /// The names of the people the call reached (or who placed it); `user[]` in a form, a string or array in JSON.
    var user: [String]
    /// Who answered: an email address or user id.
    var answeringNumber: String?
    /// Why a call ended: `normalClearing`, `busy`, `cancel`, `noAnswer`, `congestion`, `notFound`, `forwarded`.
    var cause: String?

    enum CodingKeys: String, CodingKey { case event, from, to, direction, callId, user, answeringNumber, cause }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        event = try c.decodeIfPresent(String.self, forKey: .event) ?? ""
        from = try c.decodeIfPresent(String.self, forKey: .from)
        to = try c.decodeIfPresent(String.self, forKey: .to)
        direction = try c.decodeIfPresent(String.self, forKey: .direction)
        callId = try c.decodeIfPresent(String.self, forKey: .callId) ?? ""
        if let names = try? c.decodeIfPresent([String].self, forKey: .user) {
            user = names
        } else {
            user = try c.decodeIfPresent(String.self, forKey: .user).map { [$0] } ?? []
        }
        answeringNumber = try c.decodeIfPresent(String.self, forKey: .answeringNumber)
        cause = try c.decodeIfPresent(String.self, forKey: .cause)
    }

    var type: Event { Event(rawValue: event)! }

    func validated() throws(ValidationFailure) -> GenericCTICall {
        var v = FieldValidator()
        v.check(Event(rawValue: event) != nil, "event", "must be one of \(Event.choices)")
        v.check((1...250).contains(callId.count), "callId", "is required (at most 250 characters)")
        v.check(direction == nil || ["in", "out"].contains(direction!), "direction", "must be in or out")
        try v.finish()
        return self
    }

    /// The contact event this call event is, or nil for what Daymaker does not track (calls reps place).
    func event(program: Program, now: Date, on db: any Database) async throws -> ContactEventRequest? {
        guard direction != "out" else { return nil }
        let type: ContactTimeline.EventType
        var rep: UUID?
        switch self.type {
        case .newCall:
            type = .arrived
        case .answer:
            type = .answered
            rep = try await answeringRep(programID: try program.requireID(), on: db)
        case .hangup:
            type = try await ending(program: program, on: db)
        }
        return ContactEventRequest(
            eventId: "cti-\(callId)-\(event)", type: type, program: program.code, externalContactId: callId,
            channel: .voice, from: from?.nilIfBlank ?? "withheld", to: to ?? "", at: now, requestedRep: nil,
            customerNumber: nil, repId: rep, reason: nil)
    }

    /// A hangup of a call someone answered ended it; one nobody answered was missed (`cancel`, `busy`,
    /// `noAnswer`, and a `normalClearing` before an answer), or failed (`congestion`, `notFound`).
    private func ending(program: Program, on db: any Database) async throws -> ContactTimeline.EventType {
        switch cause {
        case "congestion", "notFound":
            return .failed
        default:
            let contact = try await Contact.query(on: db).filter(\.$program.$id == program.requireID())
                .filter(\.$externalID == callId).first()
            return contact?.answeredAt == nil ? .abandoned : .ended
        }
    }

    /// The rep who answered: `answeringNumber` as their email or user id, else the one program member named in
    /// `user[]` (display or full name); nobody when it is not exactly one member.
    private func answeringRep(programID: UUID, on db: any Database) async throws -> UUID? {
        let members = try await User.activeMembers(of: programID, on: db)
        if let answering = answeringNumber?.nilIfBlank?.lowercased(),
            let member = members.first(where: { $0.email == answering || $0.id?.lowercaseText == answering })
        {
            return member.id
        }
        let names = Set(user.map { $0.lowercased() })
        let named = members.filter {
            names.contains($0.displayName.lowercased()) || names.contains($0.fullName.lowercased())
        }
        return named.count == 1 ? named[0].id : nil
    }
}
