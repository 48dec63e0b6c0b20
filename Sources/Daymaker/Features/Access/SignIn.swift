import DaymakerCore
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Checks a sign-in attempt, keeps the lockout counters and writes the audit trail.
enum SignIn {
    enum Outcome: Equatable {
        case signedIn(userID: UUID)
        case invalid
        case locked(until: Date)
        case inactive
    }

    /// A bcrypt hash of a random password at the instance's cost, checked for unknown addresses so that both paths
    /// take as long and the form does not reveal which addresses have accounts. Made once, on first use.
    private static let decoys = NIOLockedValueBox<[Int: String]>([:])

    static func decoyHash(cost: Int) -> String {
        decoys.withLockedValue { decoys in
            if let hash = decoys[cost] { return hash }
            let hash = (try? Bcrypt.hash(SecureToken.random(), cost: cost)) ?? ""
            decoys[cost] = hash
            return hash
        }
    }

    /// bcrypt reads only the first 72 bytes of a password; longer ones are refused when set and never match.
    static let maxPasswordBytes = 72

    /// Counts the attempt first (atomically, so parallel attempts cannot pass the limit), checks the password only
    /// when the account is not locked, and answers an unknown address exactly like a known one.
    static func attempt(
        email: String, password: String, app: Application, db: any Database,
        throttle: SignInThrottle = .init(), now: Date
    ) async throws -> Outcome {
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        let key = SignInFailures.key(for: address)
        let user = try await User.query(on: db).filter(\.$email == address).first()
        let userID = user?.id
        let count = try await SignInFailures.count(key: key, now: now, throttle: throttle, on: db)
        if let until = count.lockedUntil {
            try await AuditEntry.record(
                on: db, at: now, actor: userID, action: "sign-in.refused", recordType: "user",
                recordID: userID, detail: "account locked")
            return .locked(until: until)
        }
        func lock() async throws -> Outcome {
            let until = try await SignInFailures.lock(
                key: key, until: now.addingTimeInterval(throttle.lockout), now: now, on: db)
            try await AuditEntry.record(
                on: db, at: now, actor: userID, action: "account.locked", recordType: "user",
                recordID: userID, detail: "\(throttle.maxFailures) failed sign-ins")
            return .locked(until: until)
        }
        let locksOnFailure: Bool
        switch throttle.decide(attempt: count.attempt) {
        case .lock: return try await lock()
        case .check(let locks): locksOnFailure = locks
        }
        let matches = try await app.signInGate.check {
            try await app.verifyPassword(password, hash: user?.passwordHash ?? decoyHash(cost: app.passwordCost))
        }
        guard let user, let userID, matches, password.utf8.count <= maxPasswordBytes else {
            try await AuditEntry.record(
                on: db, at: now, actor: userID, action: "sign-in.failed", recordType: "user",
                recordID: userID, detail: userID == nil ? "unknown account" : "wrong password")
            return locksOnFailure ? try await lock() : .invalid
        }
        try await SignInFailures.clear(key: key, on: db)
        guard user.active else {
            try await AuditEntry.record(
                on: db, at: now, actor: userID, action: "sign-in.refused", recordType: "user",
                recordID: userID, detail: "account deactivated")
            return .inactive
        }
        try await AuditEntry.record(
            on: db, at: now, actor: userID, action: "sign-in", recordType: "user", recordID: userID)
        return .signedIn(userID: userID)
    }

    /// Starts a session and returns the cookie token (its hash is what is stored).
    static func startSession(userID: UUID, db: any Database, now: Date) async throws -> String {
        let token = SecureToken.random()
        try await UserSession.query(on: db).filter(\.$expiresAt < now).delete()
        try await UserSession(
            userID: userID, tokenHash: SecureToken.hash(token),
            expiresAt: now.addingTimeInterval(SessionAuthMiddleware.lifetime)
        ).create(on: db)
        return token
    }
}
