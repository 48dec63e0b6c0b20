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
}
