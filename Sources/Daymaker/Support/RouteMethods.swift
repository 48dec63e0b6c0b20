import Vapor

/// Which methods each path answers, so a known path asked with a method it does not have gets 405 and an `Allow`
/// header (RFC 9110) instead of a 404 that would say the path does not exist.
struct RouteMethods: Sendable {
    private let routes: [(path: [PathComponent], method: HTTPMethod)]

    init(_ routes: Routes) {
        self.routes = routes.all.map { ($0.path, $0.method) }
    }

    /// The methods `path` answers (GET implies HEAD), sorted; empty when no route has this path. Only the most
    /// specific routes count: `/bookings/import` is the import's path, not a booking whose id is "import".
    func allowed(for path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let matching = routes.filter { Self.matches($0.path, segments) }
        let best = matching.map { Self.specificity($0.path) }.max()
        var methods = Set(matching.filter { Self.specificity($0.path) == best }.map(\.method.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }

    /// The methods to list in a 405, or nil when a 404 is the right answer: the path has no route at all, or the
    /// route that answered (`matched`) is already the most specific one.
    func methodNotAllowed(path: String, method: HTTPMethod, matched: [PathComponent]?) -> [String]? {
        let allowed = allowed(for: path)
        guard !allowed.isEmpty, !allowed.contains(method.rawValue) else { return nil }
        if let matched {
            let segments = path.split(separator: "/", omittingEmptySubsequences: true)
            let best = routes.filter { Self.matches($0.path, segments) }.map { Self.specificity($0.path) }.max() ?? 0
            guard Self.specificity(matched) < best else { return nil }
        }
        return allowed
    }

    private static func specificity(_ pattern: [PathComponent]) -> Int {
        pattern.filter { if case .constant = $0 { true } else { false } }.count
    }

    private static func matches(_ pattern: [PathComponent], _ segments: [Substring]) -> Bool {
        for (index, component) in pattern.enumerated() {
            switch component {
            case .catchall: return true
            case .constant(let text): guard index < segments.count, segments[index] == text else { return false }
            case .parameter, .anything: guard index < segments.count else { return false }
            }
        }
        return pattern.count == segments.count
    }
}

extension Application {
    private struct RouteMethodsKey: StorageKey { typealias Value = RouteMethods }

    /// Made in `configure` once the routes are registered.
    var routeMethods: RouteMethods {
        get { storage[RouteMethodsKey.self] ?? RouteMethods(routes) }
        set { storage[RouteMethodsKey.self] = newValue }
    }
}
