import DaymakerCore
import Vapor

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    private struct PasswordCostKey: StorageKey { typealias Value = Int }
    private struct ClockKey: StorageKey { typealias Value = any WallClock }

    /// The configuration `configure` was given.
    var config: AppConfig {
        get {
            guard let config = storage[ConfigKey.self] else { fatalError("configure(_:config:) has not run") }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }

    /// The time of day as Daymaker reads it: the system's, unless a test set a `ManualClock` before `configure`.
    var clock: any WallClock {
        get { storage[ClockKey.self] ?? SystemClock() }
        set { storage[ClockKey.self] = newValue }
    }

    /// The bcrypt cost for new password hashes (`DAYMAKER_PASSWORD_COST`, 12 by default; tests lower it to stay fast).
    var passwordCost: Int {
        get { storage[PasswordCostKey.self] ?? config.passwordCost }
        set { storage[PasswordCostKey.self] = newValue }
    }

    /// Hashes a password with bcrypt off the event loop.
    func hashPassword(_ password: String) async throws -> String {
        let cost = passwordCost
        return try await threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a password against a bcrypt hash off the event loop.
    func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        try await threadPool.runIfActive { try Bcrypt.verify(password, created: hash) }
    }
}

extension Request {
    private struct PrincipalKey: StorageKey { typealias Value = Principal }

    /// The application clock's time.
    var now: Date { application.clock.now }

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

    /// A UUID path parameter; a malformed one is simply a record that does not exist.
    func uuidParameter(_ name: String, _ what: String = "The requested record") throws(NotFound) -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else { throw NotFound(what) }
        return id
    }
}
