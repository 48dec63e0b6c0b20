import Vapor

/// Serves the stylesheet and scripts under `/css/` and `/js/`. Other paths (the API above all) go straight to
/// the routes without `FileMiddleware` looking for a file on disk first.
struct AssetsMiddleware: Middleware {
    static let folders = ["/css/", "/js/"]
    let files: FileMiddleware

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory)
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let path = request.url.path  // parsed from the URI on every read
        guard Self.folders.contains(where: { path.hasPrefix($0) }) else { return next.respond(to: request) }
        return files.respond(to: request, chainingTo: next)
    }
}
