import Foundation
import Testing

@testable import DaymakerCore

@Suite struct ContactTimelineTests {
    static let start = ISO8601DateFormatter().date(from: "2026-12-03T09:00:00Z")!
    static let rep = UUID()
    static let other = UUID()

    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let events: [ContactTimeline.Event]
        let status: ContactStatus
        let answered: Double?
        let ended: Double?
        let rep: UUID?
        var testDescription: String { name }
    }

    @Test(arguments: [
        Row(
            name: "only arrived", events: [.init(.arrived, at: at(0))], status: .queued, answered: nil, ended: nil,
            rep: nil),
        Row(
            name: "offered", events: [.init(.arrived, at: at(0)), .init(.offered, at: at(5), repID: rep)],
            status: .offered, answered: nil, ended: nil, rep: nil),
        Row(
            name: "answered then ended",
            events: [.init(.arrived, at: at(0)), .init(.answered, at: at(30), repID: rep), .init(.ended, at: at(300))],
            status: .ended, answered: 30, ended: 300, rep: rep),
        Row(
            name: "transferred to another rep",
            events: [
                .init(.arrived, at: at(0)), .init(.answered, at: at(30), repID: rep),
                .init(.transferred, at: at(90), repID: other),
            ],
            status: .connected, answered: 30, ended: nil, rep: other),
        Row(
            name: "abandoned in the queue",
            events: [.init(.arrived, at: at(0)), .init(.queued, at: at(1)), .init(.abandoned, at: at(70))],
            status: .abandoned, answered: nil, ended: 70, rep: nil),
        Row(
            name: "over stays over, whatever comes after",
            events: [.init(.arrived, at: at(0)), .init(.failed, at: at(3)), .init(.queued, at: at(4))],
            status: .failed, answered: nil, ended: 3, rep: nil),
        Row(
            name: "the same instant goes in call order",
            events: [.init(.ended, at: at(10)), .init(.answered, at: at(10), repID: rep), .init(.arrived, at: at(0))],
            status: .ended, answered: 10, ended: 10, rep: rep),
        Row(
            name: "the first answer counts",
            events: [
                .init(.arrived, at: at(0)), .init(.answered, at: at(40), repID: rep),
                .init(.answered, at: at(20), repID: rep),
            ],
            status: .connected, answered: 20, ended: nil, rep: rep),
    ])
    func foldsByTheEventsOwnTimes(_ row: Row) {
        // Every order of delivery gives the same timeline.
        for events in permutations(row.events) {
            let timeline = ContactTimeline(events: events)
            #expect(timeline.status == row.status)
            #expect(timeline.answeredAt == row.answered.map(Self.at))
            #expect(timeline.endedAt == row.ended.map(Self.at))
            #expect(timeline.repID == row.rep)
        }
    }

    private func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index -> [[T]] in
            var rest = items
            let first = rest.remove(at: index)
            return permutations(rest).map { [first] + $0 }
        }
    }
}
