import Vapor

/// An active incident of the signed-in user's programs, shown at the top of every page.
struct PageBanner: Encodable {
    let title: String
    let message: String
    /// The codes of the user's programs it touches.
    let programs: String
}

/// What every page template gets: the page's own view model plus the shell (title, user, CSRF token).
struct PageContext<Content: Encodable>: Encodable {
    struct Shell: Encodable {
        let displayName: String
        let role: String
        let isSupervisor: Bool
        let isAdmin: Bool
    }

    let title: String
    let section: String
    let user: Shell?
    let csrf: String
    let banners: [PageBanner]
    let content: Content

    init(request: Request, title: String, section: String = "", banners: [PageBanner] = [], content: Content) {
        self.title = title
        self.section = section
        self.user = request.principal.map {
            Shell(
                displayName: $0.displayName, role: $0.role.rawValue,
                isSupervisor: $0.role >= .supervisor, isAdmin: $0.role == .admin)
        }
        self.csrf = request.csrfToken
        self.banners = banners
        self.content = content
    }
}

extension Request {
    /// Renders a page with the app shell.
    func page<Content: Encodable>(
        _ template: String, title: String, section: String = "", _ content: Content, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let view = try await self.view.render(
            template,
            PageContext(
                request: self, title: title, section: section,
                banners: try await Incidents.banners(for: principal, on: db),
                content: content))
        let response = try await view.encodeResponse(for: self)
        response.status = status
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
