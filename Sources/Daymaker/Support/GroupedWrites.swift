import FluentKit
import SQLKit
import Synchronization

/// Group commit for short write transactions on SQLite (claiming a campaign call, recording its outcome): those
/// that come in while a group is being written are written together in the next one, each inside a savepoint of
/// its own, so one that fails is rolled back alone and the others stand. Nobody is answered before the group is
/// committed.
///
/// SQLite takes one writer at a time, and a transaction's fixed costs (taking the write lock, committing, the hops
/// to and from the writer) were most of a claim's time: fifty callers claiming at the same instant waited in line
/// for 100 ms. On PostgreSQL each runs as an ordinary transaction instead: row locks let them run side by side.
actor GroupedWrites {
    /// The most writes one group takes.
    static let groupLimit = 64

    /// A write waiting for its group: `run` applies it inside the group's transaction (throwing only when the
    /// savepoints themselves fail, which fails the group) and gives back how to answer its caller once the group is
    /// committed (nil) or failed; `fail` answers a caller whose write never ran.
    private struct Work: Sendable {
        let run: @Sendable (any SQLDatabase, any Database) async throws -> @Sendable ((any Error)?) -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private var pending: [Work] = []
    private var writing = false

    /// Runs `body` in the next group written on `writer`. Never from inside a write transaction: the group would
    /// wait for the caller's transaction, which waits for the group.
    func run<T: Sendable>(
        on writer: SQLiteWriter, reading db: any Database,
        _ body: @escaping @Sendable (any SQLDatabase, any Database) async throws -> T
    ) async throws -> T {
        assert(!SQLiteWriters.holding, "grouped writes are written in groups of their own, after the caller's")
        return try await withCheckedThrowingContinuation { reply in
            let work = Work(
                run: { sql, db in
                    try await sql.raw("SAVEPOINT grouped_write").run()
                    let result: Result<T, any Error>
                    do { result = .success(try await body(sql, db)) } catch { result = .failure(error) }
                    if case .failure = result { try await sql.raw("ROLLBACK TO grouped_write").run() }
                    try await sql.raw("RELEASE grouped_write").run()
                    return { failure in
                        if let failure { reply.resume(throwing: failure) } else { reply.resume(with: result) }
                    }
                },
                fail: { reply.resume(throwing: $0) })
            pending.append(work)
            guard !writing else { return }
            writing = true
            Task { await self.drain(on: writer, reading: db) }
        }
    }

    private func drain(on writer: SQLiteWriter, reading db: any Database) async {
        while !pending.isEmpty {
            let group = Array(pending.prefix(Self.groupLimit))
            pending.removeFirst(group.count)
            let answers = Mutex<[@Sendable ((any Error)?) -> Void]>([])
            do {
                try await writer.transaction { sql in
                    for work in group {
                        let answer = try await work.run(sql, db)
                        answers.withLock { $0.append(answer) }
                    }
                }
                for answer in answers.withLock({ $0 }) { answer(nil) }
            } catch {
                // The group's transaction failed as a whole (to begin, to commit, a savepoint): nothing of it is
                // stored.
                let ran = answers.withLock { $0 }
                for answer in ran { answer(error) }
                for work in group.dropFirst(ran.count) { work.fail(error) }
            }
        }
        writing = false
    }
}
