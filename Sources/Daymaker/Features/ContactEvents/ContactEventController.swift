import DaymakerCore
import Foundation
import Vapor

/// `POST /api/v1/events`: contact events from a telephony system, mail gateway or chat widget.
struct ContactEventController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("events", use: receive).allowingTelephony()
    }

    /// One event answers with its outcome (a rejected one as a problem); an array answers per event, in order.
    @Sendable func receive(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard principal.scopes?.contains(.telephony) == true else { throw AccessError.needsScope(.telephony) }
        let body = try req.jsonBody()
        guard body.first(where: { !" \t\r\n".utf8.contains($0) }) == UInt8(ascii: "[") else {
            let event = try JSONDecoder.daymaker.decode(ContactEventRequest.self, from: body)
            let (answer, isNew, program) = try await ContactEvents.apply(
                event, principal: principal, now: req.now, events: req.application.events, on: req.db)
            if isNew { try await Self.route(after: [program], req: req) }
            return try await answer.encodeResponse(for: req)
        }
        var results: [ContactEventAnswer] = []
        var programs: [String] = []
        // A batch names few programs: each is looked up (and its visibility checked) once, not per event.
        var visible: [String: Program] = [:]
        for element in try Self.elements(of: body) {
            let (answer, program) = await Self.answer(element, principal: principal, visible: &visible, req: req)
            results.append(answer)
            if answer.result == .accepted, let program { programs.append(program) }
        }
        try await Self.route(after: Set(programs).compactMap { visible[$0] }, req: req)
        return try await ContactEventBatchAnswer(results: results).encodeResponse(for: req)
    }

    /// Offers what the events left waiting (`ContactEvents.apply` has told the desks of presence they changed).
    private static func route(after programs: [Program], req: Request) async throws {
        for program in programs {
            try await Router.route(
                programID: try program.requireID(), now: req.now, events: req.application.events, on: req.db)
        }
    }

    /// The events of a batch, each read on its own so one that cannot be read is rejected on its own.
    private static func elements(of body: Data) throws -> [ContactEventBatchElement] {
        guard let elements = try? JSONDecoder.daymaker.decode([ContactEventBatchElement].self, from: body) else {
            throw Problem.badRequest("The body is not valid JSON.")
        }
        guard (1...ContactEvents.batchLimit).contains(elements.count) else {
            throw ValidationFailure(field: "events", "a batch holds 1 to \(ContactEvents.batchLimit) events")
        }
        return elements
    }

    private static func answer(
        _ element: ContactEventBatchElement, principal: Principal, visible: inout [String: Program], req: Request
    ) async -> (
        ContactEventAnswer, program: String?
    ) {
        do {
            let event = try element.event.get()
            let program: Program
            if let known = visible[event.program] {
                program = known
            } else {
                program = try await Program.visible(code: event.program, to: principal, on: req.db)
                visible[event.program] = program
            }
            let (answer, isNew) = try await ContactEvents.apply(
                event, program: program, now: req.now, events: req.application.events, on: req.db)
            return (isNew ? answer : answer.asDuplicate, event.program)
        } catch {
            return (
                ContactEventAnswer(
                    eventId: element.eventId, result: .rejected,
                    problem: ProblemMiddleware.problem(for: error, request: req)),
                nil
            )
        }
    }
}
