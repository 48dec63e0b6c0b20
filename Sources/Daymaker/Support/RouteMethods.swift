import Vapor

/// Which methods each path answers, so a known path asked with a method it does not have gets 405 and an `Allow`
/// header (RFC 9110) instead of a 404 that would say the path does not exist.
struct RouteMethods: Sendable {
    private let routes: [(path: [PathComponent], method: HTTPMethod)]

    init(_ routes: Routes) {
        self.routes = routes.all.map { ($0.path, $0.method) }
    }

    /// The methods `path` answers (GET implies HEAD), sorted; empty when no route has this path.
    func allowed(for path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods = Set(routes.filter { Self.matches($0.path, segments) }.map(\.method.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
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
