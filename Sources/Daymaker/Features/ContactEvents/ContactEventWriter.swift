import Fluent

/// Group commit for contact events: the events that come in while a group is being written are written together
/// in the next one, in the order they came.
///
/// Telephony systems send events by the thousand, one request each or in batches. Written one transaction each,
/// they would take turns for SQLite's one writer (and for PostgreSQL's commits) and every event would pay for its
/// own reads, writes and commit. Here one group pays once: a few statements whatever its size (see ``EventGroup``).
/// A request's events are never split between groups; a group stops growing at ``groupLimit`` events.
actor ContactEventWriter {
    /// The most events one group takes (unless one request alone brings more).
    static let groupLimit = 500

    private struct Submission {
        let items: [EventGroup.Item]
        let reply: CheckedContinuation<[EventGroup.Outcome], Never>
    }

    private var pending: [Submission] = []
    private var writing = false
    /// Written since the last summary.
    private var written = (events: 0, groups: 0)

    /// The events and groups written since the last summary, which it forgets (the ticker logs it every ten
    /// seconds: how large groups are under load); `nil` when none.
    func summary() -> (events: Int, groups: Int)? {
        defer { written = (0, 0) }
        return written.groups == 0 ? nil : written
    }

    /// Applies the events, in a group with whatever else is waiting, and answers each. Never from inside a write
    /// transaction: on SQLite the group would wait for the caller's transaction, which waits for the group.
    func apply(_ items: [EventGroup.Item], events: Events, on db: any Database) async -> [EventGroup.Outcome] {
        assert(
            !SQLiteWriters.holding, "contact events are written in groups of their own, after the caller's transaction")
        guard !items.isEmpty else { return [] }
        return await withCheckedContinuation { reply in
            pending.append(Submission(items: items, reply: reply))
            guard !writing else { return }
            writing = true
            Task { await self.drain(events: events, on: db) }
        }
    }

    private func drain(events: Events, on db: any Database) async {
        while !pending.isEmpty {
            var group: [Submission] = [pending.removeFirst()]
            var count = group[0].items.count
            while let next = pending.first, count + next.items.count <= Self.groupLimit {
                group.append(pending.removeFirst())
                count += next.items.count
            }
            let outcomes = await EventGroup.write(group.flatMap(\.items), events: events, on: db)
            written.events += count
            written.groups += 1
            var offset = 0
            for submission in group {
                submission.reply.resume(returning: Array(outcomes[offset..<offset + submission.items.count]))
                offset += submission.items.count
            }
        }
        writing = false
    }
}
