import DaymakerCore
import FluentKit
import Vapor

/// Turns every error into `application/problem+json` for the API and an error page for people.
/// (Future-based: see `SecurityHeadersMiddleware`.)
struct ProblemMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            var problem = Self.problem(for: error, request: request)
            var allow: [String] = []
            if problem.status == 404,
                let methods = request.application.routeMethods.methodNotAllowed(
                    path: request.url.path, method: request.method,
                    matched: error is RouteNotFound ? nil : request.route?.path)
            {
                allow = methods
                problem = .methodNotAllowed(request.method, allowed: methods)
            }
            let response: EventLoopFuture<Response>
            if request.url.path.hasPrefix("/api/") || request.url.path.hasPrefix("/telephony/")
                || request.url.path == "/healthz"
            {
                response = request.eventLoop.makeSucceededFuture(Self.json(problem))
            } else {
                response = request.eventLoop.makeFutureWithTask { await Self.page(problem, request: request) }
            }
            guard !allow.isEmpty else { return response }
            return response.map { response in
                response.headers.replaceOrAdd(name: .allow, value: allow.joined(separator: ", "))
                return response
            }
        }
    }

    static func problem(for error: any Error, request: Request) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let failure as ValidationFailure:
            return .validation(failure.errors)
        case let domain as any DomainError:
            return .init(domain)
        case let decoding as DecodingError:
            return decodingProblem(decoding)
        case let abort as any AbortError:
            let status = abort.status
            switch status {
            case .notFound:
                return .notFound("The requested page")
            case .payloadTooLarge:
                return .init(
                    slug: "payload-too-large", title: "Request too large", status: status,
                    detail:
                        "The request body is larger than this server accepts (\(Limits.bodyDescription); \(Limits.importBodyDescription) for a CSV import)."
                )
            case .unsupportedMediaType:
                return .unsupportedMediaType
            case _ where status.code >= 500:
                return serverError(error, request: request)
            default:
                let slug = status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "-")
                return .init(slug: slug, title: status.reasonPhrase, status: status, detail: abort.reason)
            }
        case let database as any DatabaseError where database.isConstraintFailure:
            // Two requests raced for the same unique value (a customer number, an external id): the loser is told.
            return .conflict(
                "Another request stored a record with the same unique value just now. Reload and try again.")
        default:
            return serverError(error, request: request)
        }
    }

    /// A 500 for the client with the request id; the log line has the id and what went wrong, without values.
    private static func serverError(_ error: any Error, request: Request) -> Problem {
        request.logger.error(
            "Unhandled error", metadata: ["request-id": "\(request.id)", "cause": "\(LogSafe.describe(error))"])
        var problem = Problem(
            slug: "internal", title: "Something went wrong", status: .internalServerError,
            detail: "The server could not finish this request. It has been logged with request id \(request.id).")
        problem.requestId = request.id
        return problem
    }

    private static func decodingProblem(_ error: DecodingError) -> Problem {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
                .joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .validation(field: path(context.codingPath + [key]), "is required")
        case .typeMismatch(let type, let context):
            return .validation(field: path(context.codingPath), "must be \(jsonName(of: type))")
        case .valueNotFound(let type, let context):
            return .validation(field: path(context.codingPath), "must be \(jsonName(of: type)), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .badRequest("The body is not valid JSON.")
            }
            return .validation(field: path(context.codingPath), context.debugDescription)
        @unknown default:
            return .badRequest("The body could not be read.")
        }
    }

    private static func jsonName(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }

    static func json(_ problem: Problem) -> Response {
        let response = Response(status: problem.httpStatus)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        response.body = .init(data: (try? encoder.encode(problem)) ?? Data())
        response.headers.contentType = .init(
            type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
        return response
    }

    private static func page(_ problem: Problem, request: Request) async -> Response {
        if problem.status == 401 {
            let target = LocalPath(request.url.path + (request.url.query.map { "?" + $0 } ?? ""))
            return request.seeOther("/sign-in" + (target.map { "?next=" + $0.queryValue } ?? ""))
        }
        do {
            let view = try await request.view.render(
                "error", PageContext(request: request, title: problem.title, content: problem))
            let response = try await view.encodeResponse(for: request)
            response.status = problem.httpStatus
            return response
        } catch {
            let response = Response(
                status: problem.httpStatus, body: .init(string: "\(problem.title): \(problem.detail)"))
            response.headers.contentType = .plainText
            return response
        }
    }
}
