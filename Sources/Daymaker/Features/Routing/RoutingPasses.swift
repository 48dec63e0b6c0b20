import Foundation

/// Runs routing passes one at a time per program, and lets everyone who asks while a pass runs share the next one.
///
/// Under load every arrival asks for a pass. One pass looks at all of a program's waiting contacts, so a pass
/// that starts after a caller's contact was committed routes it: callers that ask while a pass runs wait for the
/// single pass queued behind it instead of each running their own. At most two passes per program are ever in
/// flight on an instance (the running one and the queued one), however many ask.
actor RoutingPasses {
    private typealias Pass = Task<Result<[Offer], any Error>, Never>
    private var running: [UUID: Pass] = [:]
    private var queued: [UUID: Pass] = [:]

    /// Runs `pass` for the program after the pass running now (if any), or joins the pass already queued behind it;
    /// returns that pass's offers.
    func route(
        _ programID: UUID, pass: @escaping @Sendable () async throws -> [Offer]
    ) async throws -> [Offer] {
        if let queued = queued[programID] { return try await queued.value.get() }
        let before = running[programID]
        let next = Pass {
            _ = await before?.value
            await self.start(programID)
            do { return .success(try await pass()) } catch { return .failure(error) }
        }
        queued[programID] = next
        let result = await next.value
        if running[programID] == next { running[programID] = nil }
        return try result.get()
    }

    /// The queued pass is about to run: later callers queue a new one behind it.
    private func start(_ programID: UUID) {
        running[programID] = queued.removeValue(forKey: programID)
    }
}
