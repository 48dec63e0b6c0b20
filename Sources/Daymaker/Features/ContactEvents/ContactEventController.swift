import DaymakerCore
import Foundation
import Vapor

/// `POST /api/v1/events`: contact events from a telephony system, mail gateway or chat widget.
struct ContactEventController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("events", use: receive).allowingTelephony()
    }

    /// One event answers with its outcome (a rejected one as a problem); an array answers per event, in order.
    /// What the events leave waiting is routed as they are written (see `EventGroup`).
    @Sendable func receive(req: Request) async throws -> Response {
        let principal = try req.requirePrincipal()
        guard principal.scopes?.contains(.telephony) == true else { throw AccessError.needsScope(.telephony) }
        let body = try req.jsonBody()
        guard body.first(where: { !" \t\r\n".utf8.contains($0) }) == UInt8(ascii: "[") else {
            let event = try JSONDecoder.daymaker.decode(ContactEventRequest.self, from: body)
            let (answer, _) = try await ContactEvents.apply(
                event, principal: principal, programs: req.application.cached.programs, now: req.now,
                events: req.application.events, on: req.db)
            return try await answer.encodeResponse(for: req)
        }
        // Each event is checked on its own first; those that pass are applied together.
        var results: [ContactEventAnswer?] = []
        var items: [EventGroup.Item] = []
        var positions: [Int] = []
        // A batch names few programs: each is looked up (and its visibility checked) once, not per event.
        var visible: [String: Program] = [:]
        for element in try Self.elements(of: body) {
            do {
                let event = try element.event.get()
                let checked = try ContactEvents.Checked(event)
                let program: Program
                if let known = visible[event.program] {
                    program = known
                } else {
                    program = try await Program.visible(
                        code: event.program, to: principal, cache: req.application.cached.programs, now: req.now,
                        on: req.db)
                    visible[event.program] = program
                }
                items.append(.init(checked: checked, event: event, program: program, now: req.now))
                positions.append(results.count)
                results.append(nil)
            } catch {
                results.append(Self.rejected(element.eventId, error, req: req))
            }
        }
        let outcomes = await req.application.events.contactEvents.apply(
            items, events: req.application.events, on: req.db)
        for (position, (item, outcome)) in zip(positions, zip(items, outcomes)) {
            switch outcome {
            case .success(let (answer, isNew)): results[position] = isNew ? answer : answer.asDuplicate
            case .failure(let error): results[position] = Self.rejected(item.checked.eventID, error, req: req)
            }
        }
        return try await ContactEventBatchAnswer(results: results.map { $0! }).encodeResponse(for: req)
    }

    private static func rejected(_ eventID: String?, _ error: any Error, req: Request) -> ContactEventAnswer {
        ContactEventAnswer(
            eventId: eventID, result: .rejected, problem: ProblemMiddleware.problem(for: error, request: req))
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
}
