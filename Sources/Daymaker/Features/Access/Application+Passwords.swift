import Vapor

extension Application {
    private struct PasswordCostKey: StorageKey { typealias Value = Int }

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
