import Foundation
import Synchronization
import Testing

@testable import DaymakerCore

@Suite struct EventHubTests {
    @Test func everySubscriberHearsEachEventUntilItCancels() {
        let hub = EventHub()
        let first = Mutex<[DomainEvent]>([])
        let second = Mutex<[DomainEvent]>([])
        let one = hub.subscribe { event in first.withLock { $0.append(event) } }
        hub.subscribe { event in second.withLock { $0.append(event) } }
        let user = UUID()
        let program = UUID()
        hub.deliver(.userChanged(user))
        one.cancel()
        hub.deliver(.programChanged(program))
        #expect(first.withLock { $0 } == [.userChanged(user)])
        #expect(second.withLock { $0 } == [.userChanged(user), .programChanged(program)])
    }

    @Test func aStreamReceivesEventsInOrder() async {
        let hub = EventHub()
        let stream = hub.events()
        let token = UUID()
        hub.deliver(.tokenRevoked(token))
        hub.deliver(.feedInterrupted)
        var received: [DomainEvent] = []
        for await event in stream {
            received.append(event)
            if received.count == 2 { break }
        }
        #expect(received == [.tokenRevoked(token), .feedInterrupted])
    }

    /// Events cross instances as JSON: the shape is part of the contract between running versions.
    @Test func eventsTravelAsStableJSON() throws {
        let id = try #require(UUID(uuidString: "6f1c2b0e-9d3a-4c55-8e21-0a7b3c4d5e6f"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(DomainEvent.userChanged(id)), as: UTF8.self)
        #expect(json == #"{"userChanged":{"_0":"6F1C2B0E-9D3A-4C55-8E21-0A7B3C4D5E6F"}}"#)
        #expect(try JSONDecoder().decode(DomainEvent.self, from: Data(json.utf8)) == .userChanged(id))
    }
}
