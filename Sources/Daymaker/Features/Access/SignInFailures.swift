import DaymakerCore
import Fluent
import Foundation
import SQLKit

/// Failed sign-in attempts per account, counted atomically in the database so that every instance and every
/// parallel request sees the same count.
///
/// The account is keyed by the SHA-256 of the lower-cased address typed in the form, so an address without an
/// account is counted (and locked) exactly like one with: the answers never tell which addresses exist, and the
/// table holds no email addresses.
enum SignInFailures {
    static let schema = "sign_in_failures"

    struct Count: Equatable {
        /// This attempt's number within the current window (1 for the first).
        var attempt: Int
        /// Set while the account is locked; the attempt was then not counted.
        var lockedUntil: Date?
    }

    static func key(for address: String) -> String { SecureToken.hash(address) }

    /// Counts one more attempt, in one statement: a new window starts when the last one (or an expired lock) is
    /// over; a locked account's count is left alone and its lock returned.
    static func count(key: String, now: Date, throttle: SignInThrottle, on db: any Database) async throws -> Count {
        let windowStart = now.addingTimeInterval(-throttle.window)
        let row = try await db.sqlDatabase.raw(
            """
            INSERT INTO sign_in_failures (id, account_key, failures, window_started_at, locked_until)
            VALUES (\(bind: UUID()), \(bind: key), 1, \(bind: now), NULL)
            ON CONFLICT (account_key) DO UPDATE SET
              failures = CASE
                WHEN sign_in_failures.locked_until > \(bind: now) THEN sign_in_failures.failures
                WHEN sign_in_failures.locked_until IS NOT NULL OR sign_in_failures.window_started_at <= \(bind: windowStart) THEN 1
                ELSE sign_in_failures.failures + 1 END,
              window_started_at = CASE
                WHEN sign_in_failures.locked_until > \(bind: now) THEN sign_in_failures.window_started_at
                WHEN sign_in_failures.locked_until IS NOT NULL OR sign_in_failures.window_started_at <= \(bind: windowStart) THEN \(bind: now)
                ELSE sign_in_failures.window_started_at END,
              locked_until = CASE
                WHEN sign_in_failures.locked_until > \(bind: now) THEN sign_in_failures.locked_until
                ELSE NULL END
            RETURNING failures, locked_until
            """
        ).first()
        guard let row else { throw InternalFault("Counting a sign-in attempt returned no row.") }
        let lockedUntil = try row.decode(column: "locked_until", as: Date?.self)
        return Count(
            attempt: try row.decode(column: "failures", as: Int.self),
            lockedUntil: lockedUntil.flatMap { $0 > now ? $0 : nil })
    }

    /// Locks the account until `until` (unless a parallel attempt already did) and returns the lock in force.
    static func lock(key: String, until: Date, now: Date, on db: any Database) async throws -> Date {
        let row = try await db.sqlDatabase.raw(
            """
            UPDATE sign_in_failures
            SET locked_until = CASE WHEN locked_until > \(bind: now) THEN locked_until ELSE \(bind: until) END, failures = 0
            WHERE account_key = \(bind: key)
            RETURNING locked_until
            """
        ).first()
        return try row?.decode(column: "locked_until", as: Date?.self) ?? until
    }

    /// Forgets the account's failures (after a successful sign-in, or when an admin sets a new password).
    static func clear(key: String, on db: any Database) async throws {
        try await db.sqlDatabase.raw("DELETE FROM sign_in_failures WHERE account_key = \(bind: key)").run()
    }
}
