import Foundation

/// A routing pass's reads, written once for both databases, and on PostgreSQL its write. PostgreSQL runs them as
/// named prepared statements, parsed once per connection, the programs one array parameter (one text serves any
/// number of them): a pass there is one read and one write (`LockingPass`, `WriteOffers`; in a group of contact
/// events the read writes the group's new contacts and events first, `storingPass`, see `EventGroup`), and the
/// read settles on a generic plan, planned a few times per connection
/// (`docs/benchmarks/events-2026-12-06-round-trips.md`).
/// SQLite's are written for the number of programs, their parameters numbered.
enum RoutingSQL {
    /// How a statement names its parameters: the programs (`$1`, an array, on PostgreSQL; `?1`…`?n` on SQLite),
    /// then, for the waiting contacts, when each program's lookback starts (`$2`; `?n+1`…`?2n`).
    enum Dialect {
        case postgres
        /// In `LockingPass`: the programs of `$1` it locked where someone is free.
        case postgresRoutable
        case sqlite(programs: Int)

        /// `column` names one of the programs.
        func inPrograms(_ column: String) -> String {
            switch self {
            case .postgres: "\(column) = ANY($1)"
            case .postgresRoutable: "\(column) = ANY((SELECT programs FROM routable)::uuid[])"
            case .sqlite(let count): "\(column) IN (\((1...count).map { "?\($0)" }.joined(separator: ", ")))"
            }
        }

        /// When the lookback of the program in `column` starts.
        func lookbackStart(_ column: String) -> String {
            switch self {
            case .postgres, .postgresRoutable: "($2::timestamptz[])[array_position($1::uuid[], \(column))]"
            case .sqlite(let count):
                "CASE \(column) \((1...count).map { "WHEN ?\($0) THEN ?\(count + $0)" }.joined(separator: " ")) END"
            }
        }
    }

    /// Whether the rep in `column` holds an open offer (of any program), from the partial unique index on them.
    static func holdsOffer(_ column: String) -> String {
        "EXISTS (SELECT 1 FROM offers x WHERE x.rep_id = \(column) AND x.status = 'open')"
    }

    /// A waiting contact (`contacts`) nobody holds an open offer for, looked up contact by contact in the index on
    /// offers by contact and status. A scalar subquery, which neither database turns into a join, comparing the
    /// status with the other statuses, so no partial index on open offers can answer it: there are always few
    /// open offers, each such index looks nearly empty to PostgreSQL's planner, and it read one of them whole
    /// (as `NOT IN` or `NOT EXISTS`, once per pass or once per contact); such an index keeps an entry for every
    /// offer made since the table was last vacuumed, so a pass grew slower by the minute.
    private static let notOffered = """
        (SELECT 1 FROM offers x WHERE x.contact_id = contacts.id AND x.status NOT IN (\(
            Offer.Status.allCases.filter { $0 != .open }.map { "'\($0.rawValue)'" }.joined(separator: ", "))) LIMIT 1)
        IS NULL
        """

    /// Waiting contacts, written as the partial index `idx_contacts_waiting` is (literals, not parameters), so
    /// both databases read only the waiting few among millions of contacts.
    private static let waiting = "status = 'queued' AND rep_id IS NULL"

    /// The programs' members who are available and hold no offer, and since when: `free_program_id`,
    /// `free_user_id`, `free_since`; with a `limit`, only that many of each program, the longest idle (a pass
    /// offers a few contacts: all the free reps of a busy program's hundreds of members were most of a pass's read;
    /// see `Router.reps`).
    static func freeReps(_ dialect: Dialect, limit: Int?) -> String {
        let free = """
            FROM program_memberships m JOIN rep_presence p ON p.user_id = m.user_id
            WHERE \(dialect.inPrograms("m.program_id")) AND p.state = 'available' AND NOT \(holdsOffer("p.user_id"))
            """
        guard let limit else {
            return "SELECT m.program_id AS free_program_id, p.user_id AS free_user_id, p.since AS free_since \(free)"
        }
        return """
            SELECT program_id AS free_program_id, user_id AS free_user_id, since AS free_since
            FROM (SELECT m.program_id, p.user_id, p.since,
            ROW_NUMBER() OVER (PARTITION BY m.program_id ORDER BY p.since, p.user_id) AS place \(free)) f
            WHERE place <= \(limit)
            """
    }

    /// The oldest waiting contacts of the programs that nobody holds an offer for (at most `limit` a program), how
    /// many wait in all, offered or not (the partial indexes on waiting contacts and open offers answer both),
    /// what is known of their customers (the preferred rep; whether an active bereavement or safety note asks for
    /// the rep they trust; the rep who helped them last within the program's lookback, from the index on their
    /// contacts), whether a rep passed them over, and where the preferred and last reps are. The rep who helped
    /// last is looked up once per contact (`MATERIALIZED`: folded into the outer query, both databases looked them
    /// up again for each use). (Written as one read of the waiting contacts, numbered by whether they are offered,
    /// SQLite 3.54 took the index on reps for several programs and walked every contact without a rep: a second a
    /// pass.) With `arriving` (PostgreSQL) the contacts of the CTE `arriving` (see `storingPass`), written by the same
    /// statement and so not in the table it reads, wait too.
    static func waitingContacts(_ dialect: Dialect, limit: Int, arriving: Bool = false) -> String {
        let columns = "id, program_id, customer_id, arrived_at, channel, language, requested_rep"
        let place = "ROW_NUMBER() OVER (PARTITION BY program_id ORDER BY arrived_at, id) AS place"
        let stored = "FROM contacts WHERE \(dialect.inPrograms("program_id")) AND \(waiting)"
        var unoffered = "SELECT \(columns), routing_note, \(place) \(stored) AND \(notOffered)"
        var count = "SELECT program_id, COUNT(*) AS waiting \(stored) GROUP BY program_id"
        if arriving {
            let more = "FROM arriving WHERE \(dialect.inPrograms("program_id"))"
            unoffered = """
                SELECT c.*, \(place) FROM (SELECT \(columns), routing_note \(stored) AND \(notOffered)
                UNION ALL SELECT \(columns), NULL \(more)) c
                """
            count = """
                SELECT program_id, COUNT(*) AS waiting FROM (SELECT program_id \(stored)
                UNION ALL SELECT program_id \(more)) c GROUP BY program_id
                """
        }
        let helped = """
            FROM contacts h WHERE h.customer_id = w.customer_id AND h.rep_id IS NOT NULL
            AND h.arrived_at >= \(dialect.lookbackStart("w.program_id")) ORDER BY h.arrived_at DESC LIMIT 1
            """
        return """
            WITH r AS MATERIALIZED (
            SELECT w.*, (SELECT h.rep_id \(helped)) AS helped_rep_id, (SELECT h.arrived_at \(helped)) AS helped_at
            FROM (SELECT o.id, o.program_id, o.customer_id, o.arrived_at, o.channel, o.language, o.requested_rep,
            o.routing_note, q.waiting, cu.preferred_rep_id, EXISTS (SELECT 1 FROM care_notes n
            WHERE n.customer_id = o.customer_id AND n.retired_at IS NULL AND n.kind IN ('bereavement', 'safety'))
            AS trusted, EXISTS (SELECT 1 FROM offers p WHERE p.contact_id = o.id AND p.status IN
            ('\(Offer.Status.declined.rawValue)', '\(Offer.Status.expired.rawValue)')) AS passed_over FROM (
            \(unoffered)) o JOIN (\(count)) q ON q.program_id = o.program_id
            LEFT JOIN customers cu ON cu.id = o.customer_id
            WHERE o.place <= \(limit)) w)
            SELECT r.*, hp.state AS helped_state, hp.since AS helped_since,
            \(holdsOffer("r.helped_rep_id")) AS helped_holding, pp.state AS preferred_state,
            pp.since AS preferred_since, \(holdsOffer("r.preferred_rep_id")) AS preferred_holding
            FROM r LEFT JOIN rep_presence hp ON hp.user_id = r.helped_rep_id
            LEFT JOIN rep_presence pp ON pp.user_id = r.preferred_rep_id
            ORDER BY r.arrived_at, r.id
            """
    }

    /// PostgreSQL's statements, prepared by name.
    enum FreeReps: PreparedText {
        static let name = "daymaker_routing_free_reps"
        static let sql = freeReps(.postgres, limit: Router.freeLimit)
    }

    enum AllFreeReps: PreparedText {
        static let name = "daymaker_routing_all_free_reps"
        static let sql = freeReps(.postgres, limit: nil)
    }

    /// A pass's reads in one round trip: one advisory lock per program taken first (held until the transaction
    /// ends, so instances take turns and none waits), the free reps of each (the longest idle few), and the
    /// waiting contacts of the programs it locked where someone is free. The first row carries `locked` (by
    /// program, in order) and the free reps as arrays (`free_program_ids`, `free_user_ids`, `free_sinces`; null
    /// when nobody is free), the others a waiting contact each (the columns of `waitingContacts`, `locked` null),
    /// oldest first.
    enum LockingPass: PreparedText {
        static let name = "daymaker_routing_locking_pass"
        static let sql = lockingPass(arriving: nil)
    }

    /// `LockingPass` writing a group of contact events' new contacts and events first: `inserts` are common table
    /// expressions (their parameters from `$3`), the new contacts' insert named `made` and returning what
    /// `waitingContacts` reads of a contact. Those still waiting wait with the others, read from what the insert
    /// returned (a statement does not see its own inserts in the table).
    static func storingPass(inserts: String) -> String {
        lockingPass(
            arriving: """
                \(inserts),
                arriving AS MATERIALIZED (SELECT id, program_id, customer_id, arrived_at, channel, language,
                requested_rep FROM made WHERE \(waiting)),
                """)
    }

    /// `LockingPass`'s text; `arriving` common table expressions ending with `arriving`, contacts the table does
    /// not show that wait too.
    private static func lockingPass(arriving: String?) -> String {
        """
        WITH locks AS MATERIALIZED (
        SELECT array_agg(pg_try_advisory_xact_lock(hashtextextended(t.program::text, 19)) ORDER BY t.place)
        AS locked FROM unnest($1::uuid[]) WITH ORDINALITY AS t(program, place)),
        free AS MATERIALIZED (\(freeReps(.postgres, limit: Router.freeLimit))),
        routable AS MATERIALIZED (SELECT array_agg(t.program) AS programs
        FROM locks, unnest($1::uuid[]) WITH ORDINALITY AS t(program, place)
        WHERE locks.locked[t.place] AND EXISTS (SELECT 1 FROM free WHERE free.free_program_id = t.program)),
        \(arriving ?? "")waiting AS MATERIALIZED (\(
            waitingContacts(.postgresRoutable, limit: Router.passLimit, arriving: arriving != nil)))
        SELECT locks.locked, f.*, w.* FROM locks, (SELECT array_agg(free_program_id) AS free_program_ids,
        array_agg(free_user_id) AS free_user_ids, array_agg(free_since) AS free_sinces FROM free) f
        LEFT JOIN waiting w ON FALSE
        UNION ALL SELECT NULL, NULL, NULL, NULL, w.* FROM waiting w
        ORDER BY locked NULLS LAST, arrived_at, id
        """
    }

    /// A pass's writes: its offers, open (`$1`…`$8`: ids, programs, contacts, reps, reasons, when the rep helped
    /// last — null but for `helped-last` —, offered, expiring), those the partial unique indexes refuse left out;
    /// the ids of those written. Nearly every pass has no routing note to change, and an update of no rows still
    /// costs its planning and locks and opens `contacts` with its indexes: such a pass writes its offers alone.
    enum WriteOffers: PreparedText {
        static let name = "daymaker_routing_write_offers"
        static let sql = insertOffers(from: 1)
    }

    /// `WriteOffers` after the routing notes that changed (`$1` contacts, `$2` notes; the offers from `$3`).
    enum WriteNotesAndOffers: PreparedText {
        static let name = "daymaker_routing_write_notes_and_offers"
        static let sql = """
            WITH noted AS (UPDATE contacts SET routing_note = n.note
            FROM unnest($1::uuid[], $2::text[]) AS n(id, note) WHERE contacts.id = n.id)
            \(insertOffers(from: 3))
            """
    }

    /// The offers' insert, their parameters numbered from `first`.
    private static func insertOffers(from first: Int) -> String {
        let p = (first..<first + 8).map { "$\($0)" }
        return """
            INSERT INTO offers (id, program_id, contact_id, rep_id, reason, helped_at, status, offered_at, expires_at)
            SELECT o.id, o.program_id, o.contact_id, o.rep_id, o.reason, o.helped_at, '\(Offer.Status.open.rawValue)',
            o.offered_at, o.expires_at
            FROM unnest(\(p[0])::uuid[], \(p[1])::uuid[], \(p[2])::uuid[], \(p[3])::uuid[], \(p[4])::text[],
            \(p[5])::timestamptz[], \(p[6])::timestamptz[], \(p[7])::timestamptz[])
            AS o(id, program_id, contact_id, rep_id, reason, helped_at, offered_at, expires_at)
            ON CONFLICT DO NOTHING RETURNING id
            """
    }
}
