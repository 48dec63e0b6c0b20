import DaymakerCore
import Foundation
import Testing

@Suite struct TimeOrderedUUIDTests {
    @Test func itIsAVersion7UUIDCarryingTheInstantsMilliseconds() {
        let instant = Date(timeIntervalSince1970: 1_796_400_000.123)
        let id = UUID(timeOrderedAt: instant)
        let text = id.uuidString.lowercased()
        #expect(text.hasPrefix(String(format: "%08x-%04x", 1_796_400_000_123 >> 16, 1_796_400_000_123 & 0xFFFF)))
        #expect(Array(text)[14] == "7")
        #expect(["8", "9", "a", "b"].contains(Array(text)[19]))
    }

    @Test func idsOfLaterInstantsSortAfterAndIdsOfOneInstantDiffer() {
        let start = Date(timeIntervalSince1970: 1_796_400_000)
        let ids = (0..<50).map { UUID(timeOrderedAt: start.addingTimeInterval(Double($0) / 100)) }
        #expect(ids.map(\.uuidString) == ids.map(\.uuidString).sorted())
        #expect(Set((0..<1000).map { _ in UUID(timeOrderedAt: start) }).count == 1000)
    }

    /// An import stamps a million rows with one instant: their ids still grow in the order they were made, so
    /// the primary-key index is written at its end.
    @Test func idsOfOneInstantSortInTheOrderTheyWereMade() {
        let start = Date(timeIntervalSince1970: 1_796_400_000)
        let ids = (0..<5000).map { _ in UUID(timeOrderedAt: start).uuidString }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == 5000)
    }

    /// The random bits come from a buffer refilled from the system's generator: across several refills they still
    /// differ from id to id (one instant, so only the count and the random bits tell the ids apart).
    @Test func theRandomBitsDifferAcrossRefills() {
        let start = Date(timeIntervalSince1970: 1_796_400_000)
        let randomParts = (0..<5000).map { _ in UUID(timeOrderedAt: start).uuidString.suffix(8) }
        #expect(Set(randomParts).count > 4990)  // 32 random bits: a repeat among 5,000 is rare, many impossible
    }

    @Test func itsTextIsFoundationsInUpperAndLowerCase() {
        let ids =
            [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))]
            + [UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))]
            + (0..<10_000).map { _ in UUID() }
        for id in ids {
            #expect(id.uppercaseText == id.uuidString)
            #expect(id.lowercaseText == id.uuidString.lowercased())
        }
    }
}
