import Fluent
import Vapor

/// Checks a sign-in attempt, keeps the lockout counters and writes the audit trail.
enum SignIn {
    enum Outcome: Equatable {
        case signedIn(userID: UUID)
        case invalid
        case locked(until: Date)
        case inactive
    }

    /// A bcrypt hash (production cost) of a random password, checked for unknown addresses so that both paths
    /// take as long and the form does not reveal which addresses have accounts.
    static let decoyHash: String = (try? Bcrypt.hash(SecureToken.random(), cost: 12)) ?? ""

    static func attempt(
        email: String, password: String, app: Application, db: any Database,
        throttle: SignInThrottle = .init(), now: Date = Date()
    ) async throws -> Outcome {
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard let user = try await User.query(on: db).filter(\.$email == address).first(), let userID = user.id else {
            _ = try? await app.verifyPassword(password, hash: decoyHash)
            try await AuditEntry.record(on: db, actor: nil, action: "sign-in.failed", recordType: "user", recordID: nil,
                                        detail: "unknown account")
            return .invalid
        }
        var state = SignInThrottle.State(
            failures: user.failedSignIns, firstFailureAt: user.firstFailedSignInAt, lockedUntil: user.lockedUntil)
        if throttle.isLocked(state, now: now), let until = state.lockedUntil {
            try await AuditEntry.record(on: db, actor: userID, action: "sign-in.refused", recordType: "user",
                                        recordID: userID, detail: "account locked")
            return .locked(until: until)
        }
        guard try await app.verifyPassword(password, hash: user.passwordHash) else {
            let (next, lockedNow) = throttle.recordingFailure(state, now: now)
            state = next
            user.failedSignIns = state.failures
            user.firstFailedSignInAt = state.firstFailureAt
            user.lockedUntil = state.lockedUntil
            try await user.save(on: db)
            try await AuditEntry.record(on: db, actor: userID, action: "sign-in.failed", recordType: "user",
                                        recordID: userID, detail: "wrong password")
            if lockedNow, let until = state.lockedUntil {
                try await AuditEntry.record(on: db, actor: userID, action: "account.locked", recordType: "user",
                                            recordID: userID, detail: "\(throttle.maxFailures) failed sign-ins")
                return .locked(until: until)
            }
            return .invalid
        }
        guard user.active else {
            try await AuditEntry.record(on: db, actor: userID, action: "sign-in.refused", recordType: "user",
                                        recordID: userID, detail: "account deactivated")
            return .inactive
        }
        if user.failedSignIns != 0 || user.lockedUntil != nil {
            user.failedSignIns = 0
            user.firstFailedSignInAt = nil
            user.lockedUntil = nil
            try await user.save(on: db)
        }
        try await AuditEntry.record(on: db, actor: userID, action: "sign-in", recordType: "user", recordID: userID)
        return .signedIn(userID: userID)
    }

    /// Starts a session and returns the cookie token (its hash is what is stored).
    static func startSession(userID: UUID, db: any Database, now: Date = Date()) async throws -> String {
        let token = SecureToken.random()
        try await UserSession.query(on: db).filter(\.$expiresAt < now).delete()
        try await UserSession(
            userID: userID, tokenHash: SecureToken.hash(token),
            expiresAt: now.addingTimeInterval(SessionAuthMiddleware.lifetime)
        ).create(on: db)
        return token
    }
}
