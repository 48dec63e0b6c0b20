import DaymakerCore
import Fluent
import Vapor

/// `POST /telephony/twilio/{voice,gather,wait,enqueued,dialled,status}?program=CODE`: Twilio's webhooks for a
/// program's numbers. No session or token: each request must carry Twilio's signature made with the program's auth
/// token (``TwilioSignature``); one that does not is refused with 403 before anything is read or recorded.
struct TwilioController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for step in TwilioCall.Step.allCases {
            routes.on(.POST, PathComponent(stringLiteral: step.rawValue), body: .collect(maxSize: "64kb")) { req in
                try await Self.answer(step, req)
            }
        }
    }

    static func answer(_ step: TwilioCall.Step, _ req: Request) async throws -> Response {
        let call = try await verified(req)
        let twiml = try await TwilioCall.Steps(
            call: call, events: req.application.events, db: req.db, logger: req.logger
        )
        .answer(step)
        let response = Response(status: .ok, body: .init(string: twiml.xml))
        response.headers.contentType = .xml
        return response
    }

    /// The request, once its signature is checked against the public address it was sent to.
    static func verified(_ req: Request) async throws -> TwilioCall.Request {
        let query = FormFields.parse(req.url.query ?? "")
        guard let code = query.first(where: { $0.name == "program" })?.value,
            let program = try await Program.find(code: code, on: req.db),
            let account = try await TwilioAccount.find(programID: try program.requireID(), on: req.db),
            let signature = req.headers.first(name: "X-Twilio-Signature")
        else { throw TelephonyError.notSigned }
        guard let token = req.application.secretBox.open(account.authTokenSealed) else {
            req.logger.warning(
                "The Twilio auth token of program \(program.code) cannot be opened with this DAYMAKER_SESSION_SECRET; save it again"
            )
            throw TelephonyError.notSigned
        }
        let body = req.body.data.map { Array($0.readableBytesView) } ?? []
        let isForm = req.headers.contentType == .urlEncodedForm
        let parameters = isForm ? FormFields.parse(String(decoding: body, as: UTF8.self)) : []
        var base = req.application.config.publicURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        guard
            TwilioSignature(authToken: token).isValid(
                signature, url: base + req.url.string, parameters: parameters, body: body)
        else { throw TelephonyError.notSigned }
        var firstValues: [String: String] = [:]
        for (name, value) in parameters where firstValues[name] == nil { firstValues[name] = value }
        var queryValues: [String: String] = [:]
        for (name, value) in query where queryValues[name] == nil { queryValues[name] = value }
        return TwilioCall.Request(
            program: program, parameters: firstValues, query: queryValues, now: req.now,
            base: req.application.config.publicURL)
    }
}

enum TelephonyError: DomainError, Equatable {
    /// Unsigned, signed with another token, or for a program without a telephony account: all look the same.
    case notSigned

    var kind: DomainErrorKind { .forbidden }

    var description: String {
        switch self {
        case .notSigned: "This request is not signed by the program's telephony account."
        }
    }
}
