import Foundation

/// Where one rep stands in a training collection: how many of its moments they have discussed, and whether they
/// are done, still have time, or are past the due date with moments left.
public struct TrainingProgress: Equatable, Sendable {
    public enum Standing: String, Sendable, Codable, CaseIterable {
        case done
        case open
        case overdue
    }

    public let discussed: Int
    public let total: Int
    public let standing: Standing

    /// - Parameters:
    ///   - discussed: how many of the collection's moments the rep has marked discussed.
    ///   - total: how many moments the collection holds now.
    ///   - due: the instant the due date ends (the start of the next day in the program's zone).
    ///   - now: the time to judge at.
    public init(discussed: Int, total: Int, due: Date, now: Date) {
        self.discussed = min(discussed, total)
        self.total = total
        if self.discussed == total {
            standing = .done
        } else {
            standing = now >= due ? .overdue : .open
        }
    }
}

/// The order of a collection's moments, changed one step at a time: where a moment ends up when it is moved up
/// or down, added or removed.
public struct TrainingOrder<Item: Equatable>: Equatable {
    public private(set) var items: [Item]

    public init(_ items: [Item]) { self.items = items }

    public enum Move: String, Sendable, CaseIterable {
        case up
        case down
        case remove
    }

    /// Moves the item one place up or down (nothing at either end), or removes it; an item not there changes
    /// nothing.
    public mutating func apply(_ move: Move, to item: Item) {
        guard let index = items.firstIndex(of: item) else { return }
        switch move {
        case .up where index > 0: items.swapAt(index, index - 1)
        case .down where index < items.count - 1: items.swapAt(index, index + 1)
        case .remove: items.remove(at: index)
        default: break
        }
    }
}
