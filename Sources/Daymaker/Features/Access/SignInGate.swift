import DaymakerCore
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Keeps password checks from taking the service down: per client address, a few checks at once and a bounded
/// number of failures per window; per instance, a bounded number of bcrypt checks at once with a short queue.
/// Whatever is refused here answers 429 with `Retry-After`, before any bcrypt work.
final class SignInGate: Sendable {
    struct Refusal: Error, Equatable {
        /// Seconds the client should wait.
        let retryAfter: Int
    }

    private struct AddressState {
        var inFlight = 0
        var failures: [Date] = []
    }

    private struct State {
        var addresses: [String: AddressState] = [:]
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
        /// Checks admitted to wait that have not joined `waiting` yet: they hold their places in the queue.
        var joining = 0
    }

    let throttle: SignInThrottle
    private let clock: any WallClock
    private let state = NIOLockedValueBox(State())

    private enum Admission { case run, wait, refuse }

    init(throttle: SignInThrottle = .init(), clock: any WallClock) {
        self.throttle = throttle
        self.clock = clock
    }

    /// Runs one sign-in attempt from `address` if the address may try now (else throws `Refusal`). An attempt that
    /// `failed` counts against the address; one refused because the instance is busy does not.
    func admit<T>(address: String, _ attempt: () async throws -> T, failed: (T) -> Bool) async throws -> T {
        try enter(address: address, now: clock.now)
        do {
            let result = try await attempt()
            leave(address: address, failed: failed(result), now: clock.now)
            return result
        } catch {
            leave(address: address, failed: !(error is Refusal), now: clock.now)
            throw error
        }
    }

    private func enter(address: String, now: Date) throws(Refusal) {
        let windowStart = now.addingTimeInterval(-throttle.window)
        let refusal: Refusal? = state.withLockedValue { state in
            var entry = state.addresses[address] ?? AddressState()
            entry.failures.removeAll { $0 <= windowStart }
            if entry.failures.count >= throttle.perAddressFailures, let oldest = entry.failures.first {
                state.addresses[address] = entry
                return Refusal(retryAfter: max(1, Int(oldest.timeIntervalSince(windowStart).rounded(.up))))
            }
            guard entry.inFlight < throttle.perAddressInFlight else { return Refusal(retryAfter: 1) }
            entry.inFlight += 1
            state.addresses[address] = entry
            if state.addresses.count > 100_000 { state.addresses = state.addresses.filter { $0.value.inFlight > 0 } }
            return nil
        }
        if let refusal { throw refusal }
    }

    private func leave(address: String, failed: Bool, now: Date) {
        state.withLockedValue { state in
            guard var entry = state.addresses[address] else { return }
            entry.inFlight = max(0, entry.inFlight - 1)
            if failed { entry.failures.append(now) }
            state.addresses[address] = entry.inFlight == 0 && entry.failures.isEmpty ? nil : entry
        }
    }

    /// Runs a password check once one of the instance's slots is free; refuses at once when the queue is full.
    func check<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let admission: Admission = state.withLockedValue { state in
            if state.running < throttle.concurrentChecks {
                state.running += 1
                return .run
            }
            guard state.waiting.count + state.joining < throttle.waitingChecks else { return .refuse }
            state.joining += 1
            return .wait
        }
        switch admission {
        case .refuse: throw Refusal(retryAfter: 1)
        case .wait:
            // Appended under the lock; a slot handed over by `release` keeps `running` unchanged.
            await withCheckedContinuation { continuation in
                let runNow = state.withLockedValue { state -> Bool in
                    state.joining -= 1
                    if state.running < throttle.concurrentChecks {
                        state.running += 1
                        return true
                    }
                    state.waiting.append(continuation)
                    return false
                }
                if runNow { continuation.resume() }
            }
        case .run: break
        }
        defer { release() }
        return try await body()
    }

    private func release() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}

extension Application {
    private struct SignInGateKey: StorageKey { typealias Value = SignInGate }

    /// The instance's sign-in gate (made in `configure`).
    var signInGate: SignInGate {
        get {
            guard let gate = storage[SignInGateKey.self] else { fatalError("configure(_:config:) has not run") }
            return gate
        }
        set { storage[SignInGateKey.self] = newValue }
    }
}
