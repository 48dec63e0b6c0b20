import Vapor

extension Request {
    private struct PrincipalKey: StorageKey { typealias Value = Principal }

    /// The authenticated principal, if an authentication middleware found one.
    var principal: Principal? {
        get { storage[PrincipalKey.self] }
        set { storage[PrincipalKey.self] = newValue }
    }

    /// The authenticated principal, or a 401 problem.
    func requirePrincipal() throws(Problem) -> Principal {
        guard let principal else { throw Problem.unauthorized() }
        return principal
    }
}
