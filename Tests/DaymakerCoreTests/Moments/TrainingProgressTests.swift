import DaymakerCore
import Foundation
import Testing

@Suite struct TrainingProgressTests {
    static let due = Date(timeIntervalSince1970: 1_796_000_000)

    @Test(arguments: [
        // discussed, total, seconds from the due instant, standing
        (0, 3, -60.0, TrainingProgress.Standing.open),
        (2, 3, -1.0, .open),
        (2, 3, 0.0, .overdue),
        (0, 3, 86_400.0, .overdue),
        (3, 3, 86_400.0, .done),
        (3, 3, -86_400.0, .done),
        // A moment taken out after it was discussed: still done, never "4 of 3".
        (4, 3, 0.0, .done),
        // Nothing in it yet: nothing left to do.
        (0, 0, 60.0, .done),
    ])
    func standing(discussed: Int, total: Int, after seconds: Double, is standing: TrainingProgress.Standing) {
        let progress = TrainingProgress(
            discussed: discussed, total: total, due: Self.due, now: Self.due.addingTimeInterval(seconds))
        #expect(progress.standing == standing)
        #expect(progress.discussed <= progress.total)
    }

    @Test func movesKeepEveryOtherMomentInItsPlace() {
        var order = TrainingOrder(["a", "b", "c", "d"])
        order.apply(.up, to: "c")
        #expect(order.items == ["a", "c", "b", "d"])
        order.apply(.up, to: "a")
        #expect(order.items == ["a", "c", "b", "d"])
        order.apply(.down, to: "d")
        #expect(order.items == ["a", "c", "b", "d"])
        order.apply(.down, to: "a")
        #expect(order.items == ["c", "a", "b", "d"])
        order.apply(.remove, to: "b")
        #expect(order.items == ["c", "a", "d"])
        order.apply(.remove, to: "zz")
        #expect(order.items == ["c", "a", "d"])
    }
}
