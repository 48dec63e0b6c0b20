import Foundation

/// Who gets a waiting contact: plain values in, one decision per contact out, no clock read (`now` is a value).
///
/// For each waiting contact, in order: the rep the customer asked for, their preferred rep, the rep who helped them
/// most recently within the lookback; then any available rep with the skills the contact needs, longest idle first.
/// A relationship choice that is busy or in wrap-up is waited for, for a bounded time, unless the queue's service
/// level is at risk (a customer with an active bereavement or safety note always gets the wait). Nobody waits
/// forever, and no rep holds two offers: a rep with an offer is out of this round, and reps who declined or let
/// this contact's offer time out are not asked again.
public struct RoutingPolicy: Sendable {
    public var settings: RoutingSettings

    public init(settings: RoutingSettings) {
        self.settings = settings
    }

    public struct Rep: Equatable, Sendable {
        public var id: UUID
        /// The names a customer may ask for: display name, full name and the nicknames the rep lists.
        public var names: [String]
        public var presence: Presence
        /// Since when the rep has been available (longest idle is offered first).
        public var idleSince: Date?
        public var languages: Set<String>
        public var channels: Set<String>
        /// The rep holds an offer already (of any contact).
        public var hasOffer: Bool

        public init(
            id: UUID, names: [String], presence: Presence, idleSince: Date? = nil, languages: Set<String> = [],
            channels: Set<String> = [], hasOffer: Bool = false
        ) {
            self.id = id
            self.names = names
            self.presence = presence
            self.idleSince = idleSince
            self.languages = languages
            self.channels = channels
            self.hasOffer = hasOffer
        }
    }

    /// A rep who handled a customer's past contacts: how many, and the latest.
    public struct Helped: Equatable, Sendable {
        public var rep: UUID
        public var last: Date
        public var times: Int

        public init(rep: UUID, last: Date, times: Int = 1) {
            self.rep = rep
            self.last = last
            self.times = times
        }
    }

    public struct Waiting: Equatable, Sendable {
        public var id: UUID
        public var arrivedAt: Date
        public var channel: String
        public var language: String?
        /// What the customer said or keyed when asked whom they want (a name or a user id).
        public var requestedRep: String?
        public var preferredRep: UUID?
        /// Who handled their past contacts: each rep once, with how often and when last (any age: the policy
        /// applies the lookback).
        public var helpedBy: [Helped]
        /// An active bereavement or safety care note: the rep they trust first, whatever the queue.
        public var needsTrustedRep: Bool
        /// Reps who declined this contact or let its offer time out.
        public var passedOver: Set<UUID>

        public init(
            id: UUID, arrivedAt: Date, channel: String, language: String? = nil, requestedRep: String? = nil,
            preferredRep: UUID? = nil, helpedBy: [Helped] = [], needsTrustedRep: Bool = false,
            passedOver: Set<UUID> = []
        ) {
            self.id = id
            self.arrivedAt = arrivedAt
            self.channel = channel
            self.language = language
            self.requestedRep = requestedRep
            self.preferredRep = preferredRep
            self.helpedBy = helpedBy
            self.needsTrustedRep = needsTrustedRep
            self.passedOver = passedOver
        }

    }

    /// Why a rep is the one for this contact, as the desk says it.
    public enum Reason: Equatable, Sendable {
        case askedFor
        case preferred
        case helpedLast(Date)
        case available
    }

    public enum Decision: Equatable, Sendable {
        /// Offer the contact to this rep now.
        case offer(rep: UUID, reason: Reason)
        /// Wait for this rep (busy or in wrap-up) until `until`, then route to anyone.
        case waitFor(rep: UUID, reason: Reason, until: Date)
        /// Nobody suitable is free: the contact stays in the queue.
        case queue
    }

    /// A decision and what the desk should know about it ("asked for Sarh: no rep by that name").
    public struct Routing: Equatable, Sendable {
        public var contact: UUID
        public var decision: Decision
        public var notes: [String]
    }

    /// The queue right now, for the service-level override.
    public struct QueueState: Equatable, Sendable {
        public var waiting: Int
        public var oldestWait: TimeInterval

        public init(waiting: Int, oldestWait: TimeInterval) {
            self.waiting = waiting
            self.oldestWait = oldestWait
        }
    }

    /// Whether the service level is at risk: too many waiting, or the oldest waiting longer than the target.
    public func serviceLevelAtRisk(_ queue: QueueState) -> Bool {
        queue.waiting > settings.atRiskWaiting || queue.oldestWait > settings.targetAnswer
    }

    /// Decides for every waiting contact in one pass: trusted-rep customers first, then the longest waiting. A rep
    /// offered one contact is out for the rest of the pass.
    public func route(_ waiting: [Waiting], reps: [Rep], queue: QueueState, now: Date) -> [Routing] {
        var pool = Pool(reps)
        let atRisk = serviceLevelAtRisk(queue)
        // UUIDs order as their text does.
        let order = waiting.sorted {
            ($0.needsTrustedRep ? 0 : 1, $0.arrivedAt, $0.id) < ($1.needsTrustedRep ? 0 : 1, $1.arrivedAt, $1.id)
        }
        return order.map { contact in
            let routing = decide(contact, among: pool, serviceLevelAtRisk: atRisk, now: now)
            if case .offer(let rep, _) = routing.decision { pool.offered(rep) }
            return routing
        }
    }

    /// The decision for one contact.
    public func decide(_ contact: Waiting, reps: [Rep], serviceLevelAtRisk: Bool, now: Date) -> Routing {
        decide(contact, among: Pool(reps), serviceLevelAtRisk: serviceLevelAtRisk, now: now)
    }

    /// A pass's reps, looked at once for all its contacts: by id, and which are free for an offer, longest idle
    /// first.
    private struct Pool {
        private(set) var reps: [Rep]
        private let places: [UUID: Int]
        /// Places of the reps available and holding no offer, longest idle first (then by id).
        private(set) var free: [Int]

        init(_ reps: [Rep]) {
            self.reps = reps
            places = Dictionary(reps.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            free = reps.indices.filter { reps[$0].presence == .available && !reps[$0].hasOffer }.sorted {
                (reps[$0].idleSince ?? .distantPast, reps[$0].id) < (reps[$1].idleSince ?? .distantPast, reps[$1].id)
            }
        }

        subscript(id: UUID) -> Rep? { places[id].map { reps[$0] } }

        mutating func offered(_ id: UUID) {
            guard let place = places[id] else { return }
            reps[place].hasOffer = true
            free.removeAll { $0 == place }
        }
    }

    private func decide(_ contact: Waiting, among pool: Pool, serviceLevelAtRisk: Bool, now: Date) -> Routing {
        var notes: [String] = []
        func free(_ rep: Rep) -> Bool {
            rep.presence == .available && !rep.hasOffer && !contact.passedOver.contains(rep.id)
        }

        // 1–3: the relationship choices, in order, each once.
        var choices: [(Rep, Reason)] = []
        func add(_ id: UUID?, _ reason: Reason) {
            guard let id, let rep = pool[id], !choices.contains(where: { $0.0.id == id }) else { return }
            choices.append((rep, reason))
        }
        if let asked = contact.requestedRep?.trimmingCharacters(in: .whitespacesAndNewlines), !asked.isEmpty {
            let matches = Self.reps(named: asked, among: pool.reps)
            if matches.isEmpty {
                notes.append("Asked for \(asked): no rep by that name.")
            } else {
                add(Self.mostFamiliar(matches, to: contact), .askedFor)
            }
        }
        add(contact.preferredRep, .preferred)
        let lookbackStart = now.addingTimeInterval(-settings.lookback)
        if let last = contact.helpedBy.filter({ $0.last >= lookbackStart }).max(by: { $0.last < $1.last }) {
            add(last.rep, .helpedLast(last.last))
        }

        if let (rep, reason) = choices.first(where: { free($0.0) }) {
            return Routing(contact: contact.id, decision: .offer(rep: rep.id, reason: reason), notes: notes)
        }
        let waitUntil = contact.arrivedAt.addingTimeInterval(settings.relationshipWait)
        if now < waitUntil, !serviceLevelAtRisk || contact.needsTrustedRep,
            let (rep, reason) = choices.first(where: {
                $0.0.presence.comingBack && !contact.passedOver.contains($0.0.id)
            })
        {
            return Routing(
                contact: contact.id, decision: .waitFor(rep: rep.id, reason: reason, until: waitUntil), notes: notes)
        }

        // 4: anyone free with the skills, longest idle first.
        let longestIdle = pool.free.lazy.map { pool.reps[$0] }.first { rep in
            !contact.passedOver.contains(rep.id)
                && (rep.channels.isEmpty || rep.channels.contains(contact.channel))
                && (contact.language.map { rep.languages.isEmpty || rep.languages.contains($0) } ?? true)
        }
        if let rep = longestIdle {
            return Routing(contact: contact.id, decision: .offer(rep: rep.id, reason: .available), notes: notes)
        }
        return Routing(contact: contact.id, decision: .queue, notes: notes)
    }

    /// The reps a spoken or typed name can mean: a user id, or any of a rep's names (or its first word), compared
    /// without case or accents.
    public static func reps(named asked: String, among reps: [Rep]) -> [Rep] {
        if let id = UUID(uuidString: asked) { return reps.filter { $0.id == id } }
        let wanted = fold(asked)
        return reps.filter { rep in
            rep.names.contains { name in
                let folded = fold(name)
                return folded == wanted || folded.split(separator: " ").first.map(String.init) == wanted
            }
        }
    }

    /// Of several reps with the name asked for, the one who has helped this customer most (then most recently).
    static func mostFamiliar(_ reps: [Rep], to contact: Waiting) -> UUID {
        func familiarity(_ rep: Rep) -> (Int, Date) {
            let helped = contact.helpedBy.first { $0.rep == rep.id }
            return (helped?.times ?? 0, helped?.last ?? .distantPast)
        }
        return reps.max { familiarity($0) < familiarity($1) }!.id
    }

    static func fold(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").joined(separator: " ")
    }
}

/// A program's routing settings.
public struct RoutingSettings: Equatable, Sendable {
    /// How long a relationship choice (asked for, preferred, helped last) is waited for when busy.
    public var relationshipWait: TimeInterval
    /// How far back "the rep who helped them last" looks (the common products stop at 30–48 days).
    public var lookback: TimeInterval
    /// More waiting than this puts the service level at risk.
    public var atRiskWaiting: Int
    /// The program's target answer time: the oldest waiting longer than this puts the service level at risk.
    public var targetAnswer: TimeInterval
    /// How long an offer stays open before it goes to the next choice.
    public var offerTimeout: TimeInterval
    /// How long a rep is in wrap-up after a contact before they are available again.
    public var wrapUp: TimeInterval
    /// The break a rep is given before the next offer after a contact flagged heated or abusive (0: none).
    public var hardContactBreak: TimeInterval
    /// A contact abandoned within this long is a short abandon: neither offered nor abandoned in insights.
    public var shortAbandon: TimeInterval
    /// How contacts abandoned before the target answer time count in the service level.
    public var abandonsBeforeTarget: AbandonsBeforeTarget

    public init(
        relationshipWait: TimeInterval = 45, lookback: TimeInterval = 365 * 86_400, atRiskWaiting: Int = 10,
        targetAnswer: TimeInterval = 60, offerTimeout: TimeInterval = 20, wrapUp: TimeInterval = 60,
        hardContactBreak: TimeInterval = 300, shortAbandon: TimeInterval = 5,
        abandonsBeforeTarget: AbandonsBeforeTarget = .ignored
    ) {
        self.relationshipWait = relationshipWait
        self.lookback = lookback
        self.atRiskWaiting = atRiskWaiting
        self.targetAnswer = targetAnswer
        self.offerTimeout = offerTimeout
        self.wrapUp = wrapUp
        self.hardContactBreak = hardContactBreak
        self.shortAbandon = shortAbandon
        self.abandonsBeforeTarget = abandonsBeforeTarget
    }

    public static let defaults = RoutingSettings()

    /// What insights count by.
    public var insightRules: InsightRules {
        InsightRules(targetAnswer: targetAnswer, shortAbandon: shortAbandon, abandonsBeforeTarget: abandonsBeforeTarget)
    }
}
