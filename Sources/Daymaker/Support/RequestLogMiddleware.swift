import Vapor

/// Logs each request's method and path, with API tokens masked: a Generic CTI connector carries its token in the
/// path (`/telephony/generic-cti/RIDE/dmk_…`), a survey link its token (`/s/…`), and no secret goes into the log.
struct RequestLogMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.logger.info("\(request.method) \(Self.masked(request.url.path))")
        return next.respond(to: request)
    }

    static func masked(_ path: String) -> String {
        if path.hasPrefix("/s/") { return "/s/…" }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(APITokens.prefix) ? APITokens.prefix + "…" : String($0) }
            .joined(separator: "/")
    }
}
