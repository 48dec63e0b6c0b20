import Foundation
import Testing

@testable import DaymakerCore

@Suite struct RoutingPolicyTests {
    static let now = ISO8601DateFormatter().date(from: "2026-12-03T15:00:00Z")!
    static let sarah = UUID()
    static let sarahB = UUID()
    static let tom = UUID()
    static let ana = UUID()
    static let lee = UUID()
    static let customer = UUID()
    static let policy = RoutingPolicy(settings: .defaults)

    static func ago(_ seconds: Double) -> Date { now.addingTimeInterval(-seconds) }
    static func daysAgo(_ days: Double) -> Date { ago(days * 86_400) }

    /// Sarah Jones and Sarah Brown, Tom (also "Tommy"), Ana (Spanish), Lee (email only); everyone free unless a
    /// row says otherwise. Idle: Lee longest, then Ana, Tom, the Sarahs.
    static func reps(_ presence: [UUID: Presence] = [:], offers: Set<UUID> = []) -> [RoutingPolicy.Rep] {
        [
            (sarah, ["Sarah", "Sarah Jones"], 60.0, Set(["en"]), Set<String>()),
            (sarahB, ["Sarah B", "Sarah Brown"], 50.0, ["en"], []),
            (tom, ["Tom", "Thomas Müller", "Tommy"], 300.0, ["en", "de"], []),
            (ana, ["Ana", "Ana Núñez"], 400.0, ["es", "en"], []),
            (lee, ["Lee", "Lee Chen"], 900.0, ["en"], ["email"]),
        ].map { id, names, idle, languages, channels in
            RoutingPolicy.Rep(
                id: id, names: names, presence: presence[id] ?? .available, idleSince: ago(idle),
                languages: languages, channels: channels, hasOffer: offers.contains(id))
        }
    }

    static func waiting(
        waited: Double = 5, channel: String = "voice", language: String? = nil, asked: String? = nil,
        preferred: UUID? = nil, helpedBy: [RoutingPolicy.Helped] = [], trusted: Bool = false,
        passedOver: Set<UUID> = []
    ) -> RoutingPolicy.Waiting {
        .init(
            id: customer, arrivedAt: ago(waited), channel: channel, language: language, requestedRep: asked,
            preferredRep: preferred, helpedBy: helpedBy, needsTrustedRep: trusted, passedOver: passedOver)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let contact: RoutingPolicy.Waiting
        var presence: [UUID: Presence] = [:]
        var offers: Set<UUID> = []
        var atRisk = false
        let expect: RoutingPolicy.Decision
        var notes: [String] = []
        var testDescription: String { name }
    }

    @Test(arguments: [
        // 1. The rep asked for, by any name, forgiving of case, accents and nicknames.
        Row(
            name: "asked for by first name", contact: waiting(asked: "sarah jones"),
            expect: .offer(rep: sarah, reason: .askedFor)),
        Row(
            name: "asked for without accents", contact: waiting(asked: "thomas muller"),
            expect: .offer(rep: tom, reason: .askedFor)),
        Row(
            name: "asked for by nickname", contact: waiting(asked: "TOMMY"), expect: .offer(rep: tom, reason: .askedFor)
        ),
        Row(
            name: "asked for by user id", contact: waiting(asked: ana.uuidString),
            expect: .offer(rep: ana, reason: .askedFor)),
        Row(
            name: "two Sarahs: the one who helped this customer",
            contact: waiting(
                asked: "Sarah",
                helpedBy: [.init(rep: sarahB, last: daysAgo(20), times: 2), .init(rep: sarah, last: daysAgo(10))]),
            expect: .offer(rep: sarahB, reason: .askedFor)),
        Row(
            name: "no rep by that name falls through with a note", contact: waiting(asked: "Sarh", preferred: tom),
            expect: .offer(rep: tom, reason: .preferred), notes: ["Asked for Sarh: no rep by that name."]),
        // 2. The preferred rep; 3. the rep who helped last, within the lookback.
        Row(name: "preferred rep", contact: waiting(preferred: ana), expect: .offer(rep: ana, reason: .preferred)),
        Row(
            name: "helped last within the lookback",
            contact: waiting(helpedBy: [.init(rep: tom, last: daysAgo(200)), .init(rep: sarah, last: daysAgo(300))]),
            expect: .offer(rep: tom, reason: .helpedLast(daysAgo(200)))),
        Row(
            name: "helped last too long ago: anyone, longest idle",
            contact: waiting(helpedBy: [.init(rep: tom, last: daysAgo(400))]),
            expect: .offer(rep: ana, reason: .available)),
        // Bounded waits for a busy relationship rep.
        Row(
            name: "asked-for rep busy: wait for her", contact: waiting(waited: 10, asked: "Sarah Jones"),
            presence: [sarah: .busy],
            expect: .waitFor(rep: sarah, reason: .askedFor, until: ago(10).addingTimeInterval(45))),
        Row(
            name: "asked-for rep in wrap-up, preferred rep free: the preferred rep",
            contact: waiting(asked: "Sarah Jones", preferred: tom), presence: [sarah: .wrapUp],
            expect: .offer(rep: tom, reason: .preferred)),
        Row(
            name: "the wait is over: anyone", contact: waiting(waited: 46, asked: "Sarah Jones"),
            presence: [sarah: .busy],
            expect: .offer(rep: ana, reason: .available)),
        Row(
            name: "service level at risk: anyone at once", contact: waiting(waited: 5, asked: "Sarah Jones"),
            presence: [sarah: .busy], atRisk: true, expect: .offer(rep: ana, reason: .available)),
        Row(
            name: "bereavement: the trusted rep even when the service level is at risk",
            contact: waiting(waited: 5, helpedBy: [.init(rep: sarah, last: daysAgo(30))], trusted: true),
            presence: [sarah: .busy],
            atRisk: true,
            expect: .waitFor(rep: sarah, reason: .helpedLast(daysAgo(30)), until: ago(5).addingTimeInterval(45))),
        Row(
            name: "bereavement, and the wait is over: anyone",
            contact: waiting(waited: 50, helpedBy: [.init(rep: sarah, last: daysAgo(30))], trusted: true),
            presence: [sarah: .busy],
            expect: .offer(rep: ana, reason: .available)),
        Row(
            name: "asked-for rep offline: no wait", contact: waiting(asked: "Sarah Jones"), presence: [sarah: .offline],
            expect: .offer(rep: ana, reason: .available)),
        // Offers: never two to one rep; those who passed are not asked again.
        Row(
            name: "asked-for rep holds another offer: anyone", contact: waiting(asked: "Ana"), offers: [ana],
            expect: .offer(rep: tom, reason: .available)),
        Row(
            name: "asked-for rep let it time out: next choice", contact: waiting(asked: "Ana", passedOver: [ana]),
            expect: .offer(rep: tom, reason: .available)),
        // 4. Skills: language and channel.
        Row(name: "Spanish: Ana", contact: waiting(language: "es"), expect: .offer(rep: ana, reason: .available)),
        Row(name: "German: Tom", contact: waiting(language: "de"), expect: .offer(rep: tom, reason: .available)),
        Row(
            name: "email: Lee, longest idle", contact: waiting(channel: "email"),
            expect: .offer(rep: lee, reason: .available)),
        Row(
            name: "nobody with the skill free: the queue", contact: waiting(language: "es"), presence: [ana: .busy],
            expect: .queue),
    ])
    func decides(_ row: Row) {
        let routing = Self.policy.decide(
            row.contact, reps: Self.reps(row.presence, offers: row.offers), serviceLevelAtRisk: row.atRisk,
            now: Self.now)
        #expect(routing.decision == row.expect)
        #expect(routing.notes == row.notes)
    }

    @Test func serviceLevelIsAtRiskWithTooManyWaitingOrTheOldestWaitingTooLong() {
        let policy = RoutingPolicy(settings: .init(atRiskWaiting: 10, targetAnswer: 60))
        #expect(!policy.serviceLevelAtRisk(.init(waiting: 10, oldestWait: 60)))
        #expect(policy.serviceLevelAtRisk(.init(waiting: 11, oldestWait: 5)))
        #expect(policy.serviceLevelAtRisk(.init(waiting: 1, oldestWait: 61)))
    }

    /// Reps idle equally long are taken in the order of their ids (as text), the first for the longest waiting.
    @Test func equallyIdleRepsAreTakenInIdOrder() {
        let low = UUID(uuidString: "0A000000-0000-0000-0000-000000000001")!
        let high = UUID(uuidString: "A0000000-0000-0000-0000-000000000001")!
        let reps = [high, low].map {
            RoutingPolicy.Rep(id: $0, names: [], presence: .available, idleSince: Self.ago(60))
        }
        let contacts = [Self.ago(20), Self.ago(30)].map {
            RoutingPolicy.Waiting(id: UUID(), arrivedAt: $0, channel: "voice")
        }
        let routings = Self.policy.route(
            contacts, reps: reps, queue: .init(waiting: 2, oldestWait: 30), now: Self.now)
        #expect(routings.map(\.contact) == [contacts[1].id, contacts[0].id])
        #expect(
            routings.map(\.decision) == [.offer(rep: low, reason: .available), .offer(rep: high, reason: .available)])
    }

    /// One pass over a queue never gives one rep two offers: the trusted customer first, then the longest waiting.
    @Test func onePassNeverGivesOneRepTwoOffers() {
        func contact(_ waited: Double, trusted: Bool = false) -> RoutingPolicy.Waiting {
            .init(
                id: UUID(), arrivedAt: Self.ago(waited), channel: "voice", requestedRep: "Tom",
                needsTrustedRep: trusted)
        }
        let queue = [contact(30), contact(90), contact(5, trusted: true)] + (0..<20).map { contact(Double($0)) }
        let routings = Self.policy.route(
            queue, reps: Self.reps(), queue: .init(waiting: 23, oldestWait: 90), now: Self.now)
        let offered = routings.compactMap { routing -> UUID? in
            if case .offer(let rep, _) = routing.decision { return rep }
            return nil
        }
        #expect(offered.count == 4)  // four reps take voice: four offers
        #expect(Set(offered).count == offered.count)
        #expect(routings.first?.contact == queue[2].id)
        #expect(routings.first?.decision == .offer(rep: Self.tom, reason: .askedFor))
        #expect(routings[1].contact == queue[1].id)  // then the longest waiting
        #expect(routings.dropFirst(4).allSatisfy { $0.decision == .queue })
    }
}
