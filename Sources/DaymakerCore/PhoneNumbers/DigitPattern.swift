import Synchronization

/// A regular expression in the dialect libphonenumber's metadata is written in, matched against digits only.
///
/// The dialect: digits, `\d`, classes such as `[2-9]` or `[0-24-9]`, groups (capturing, or `(?:…)`), `|`, the
/// quantifiers `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}` (all greedy) and `$`. Matching backtracks in the same order as
/// Python's and Java's engines, so a prefix match ends where theirs does and captures the same groups, which
/// decides how a national prefix is stripped. Inputs are at most a few dozen digits, so backtracking stays cheap.
struct DigitPattern: Sendable {
    fileprivate indirect enum Node: Sendable {
        /// One digit from a set (bit `d` for digit `d`).
        case digit(UInt16)
        case group([Sequence], capture: Int?)
        case repeated(Node, min: Int, max: Int?)
        case end

        /// The digits a match that takes any can begin with, and whether a match can take none.
        var start: (first: UInt16, empty: Bool) {
            switch self {
            case .digit(let set): (set, false)
            case .group(let alternatives, _):
                (alternatives.reduce(0) { $0 | $1.first }, alternatives.contains(where: \.empty))
            case .repeated(let inner, let min, let max):
                max == 0 ? (0, true) : (inner.start.first, min == 0 || inner.start.empty)
            case .end: (0, true)
            }
        }
    }

    /// One alternative of a group, with what its matches begin with: an alternative that must take a digit, and
    /// cannot take the one at hand, is passed over without trying it (most of a region's alternatives, which
    /// list its area codes), which changes no match.
    fileprivate struct Sequence: Sendable {
        let nodes: [Node]
        let first: UInt16
        let empty: Bool

        init(_ nodes: [Node]) {
            self.nodes = nodes
            var (first, empty): (UInt16, Bool) = (0, true)
            for node in nodes where empty {
                let start = node.start
                first |= start.first
                empty = start.empty
            }
            (self.first, self.empty) = (first, empty)
        }

        func cannotStart(at position: Int, in input: [UInt8]) -> Bool {
            !empty && (position >= input.count || first & (1 << UInt16(input[position])) == 0)
        }
    }

    private let alternatives: [Sequence]
    /// How many capturing groups the pattern has.
    let groupCount: Int
    /// For whole matches: the pattern as a deterministic automaton, built the first time it is needed.
    private let automaton: LazyAutomaton

    struct SyntaxError: Error, CustomStringConvertible {
        let pattern: String
        let offset: Int
        var description: String { "phone pattern '\(pattern)' cannot be read at offset \(offset)" }
    }

    init(_ source: String) throws(SyntaxError) {
        var parser = Parser(source: Array(source.utf8), pattern: source)
        alternatives = try parser.alternatives()
        guard parser.index == parser.source.count else { throw parser.error() }
        groupCount = parser.groups
        automaton = LazyAutomaton()
    }

    /// Whether the whole of `digits` (values 0–9) matches: one step of the automaton per digit (most of the time
    /// in reading a number went to backtracking through a region's area codes).
    func matchesWhole(_ digits: [UInt8]) -> Bool {
        guard let automaton = automaton.get({ Automaton(alternatives) }) else {
            return matchesWholeByBacktracking(digits)
        }
        return automaton.matches(digits)
    }

    /// The same by backtracking (for a pattern whose automaton would be too large, and to check the automaton).
    func matchesWholeByBacktracking(_ digits: [UInt8]) -> Bool {
        let run = Run(input: digits, groups: groupCount)
        return run.match(.group(alternatives, capture: nil), at: 0) { $0 == digits.count }
    }

    /// The first match at the start of `digits`, as Python's `re.match` finds it: where it ends and what each
    /// capturing group took (`nil` for a group that did not take part).
    func prefixMatch(_ digits: [UInt8]) -> (end: Int, groups: [Range<Int>?])? {
        let run = Run(input: digits, groups: groupCount)
        var end: Int?
        let matched = run.match(.group(alternatives, capture: nil), at: 0) { position in
            end = position
            return true
        }
        guard matched, let end else { return nil }
        let groups = (0..<groupCount).map { group -> Range<Int>? in
            let (start, stop) = (run.slots[2 * group], run.slots[2 * group + 1])
            return start >= 0 && stop >= start ? start..<stop : nil
        }
        return (end, groups)
    }
}

/// A pattern's automaton, built once and then shared (`nil` when it would be too large).
private final class LazyAutomaton: Sendable {
    private let built = Mutex<Automaton??>(nil)

    func get(_ build: () -> Automaton?) -> Automaton? {
        built.withLock { built in
            if let built { return built }
            let automaton = build()
            built = .some(automaton)
            return automaton
        }
    }
}

/// A pattern as a deterministic automaton over the digits, for whole matches: its states are the sets of places
/// in the pattern a match can have reached, built by following every path at once (Thompson's construction, then
/// the subset construction). Which path matched does not matter for a whole match, so it agrees with backtracking.
private struct Automaton: Sendable {
    /// For each state ten next states, by digit (`-1`: no match can go on).
    private let next: [Int32]
    /// Whether a match that ends in the state matches.
    private let accepts: [Bool]

    /// The largest automaton built; past it the pattern keeps backtracking.
    static let limit = 50_000

    func matches(_ digits: [UInt8]) -> Bool {
        var state: Int32 = 0
        for digit in digits {
            state = next[Int(state) * 10 + Int(digit)]
            if state < 0 { return false }
        }
        return accepts[Int(state)]
    }

    /// A place in the pattern: take a digit from a set, go on to any of several places, pass only at the end of the
    /// input (`$`), or the match is complete.
    private enum Place {
        case digit(UInt16, Int)
        case branch([Int])
        case end(Int)
        case accept
    }

    init?(_ alternatives: [DigitPattern.Sequence]) {
        var places: [Place] = [.accept]
        func add(_ place: Place) -> Int {
            places.append(place)
            return places.count - 1
        }
        /// The place that matches `node` and then goes on to `then`.
        func compile(_ node: DigitPattern.Node, then: Int) -> Int {
            switch node {
            case .digit(let set): return add(.digit(set, then))
            case .end: return add(.end(then))
            case .group(let alternatives, _): return compile(alternatives, then: then)
            case .repeated(let inner, let min, let max):
                var start: Int
                if let max {
                    start = then
                    for _ in 0..<(max - min) { start = add(.branch([compile(inner, then: start), then])) }
                } else {
                    start = add(.branch([]))
                    places[start] = .branch([compile(inner, then: start), then])
                }
                for _ in 0..<min { start = compile(inner, then: start) }
                return start
            }
        }
        func compile(_ alternatives: [DigitPattern.Sequence], then: Int) -> Int {
            let starts = alternatives.map { sequence in
                sequence.nodes.reversed().reduce(then) { next, node in compile(node, then: next) }
            }
            return starts.count == 1 ? starts[0] : add(.branch(starts))
        }
        let start = compile(alternatives, then: 0)

        /// The places `from` leads to without taking a digit, sorted: those that take one, and those that wait
        /// for the end of the input or accept.
        func closure(_ from: [Int]) -> [Int] {
            var seen = Set<Int>()
            var found: [Int] = []
            var stack = from
            while let place = stack.popLast() {
                guard seen.insert(place).inserted else { continue }
                if case .branch(let targets) = places[place] {
                    stack.append(contentsOf: targets.reversed())
                } else {
                    found.append(place)
                }
            }
            return found.sorted()
        }
        /// Whether a match ending at one of these places matches (passing the end markers).
        func accepting(_ set: [Int]) -> Bool {
            var stack = set
            var seen = Set<Int>()
            while let place = stack.popLast() {
                guard seen.insert(place).inserted else { continue }
                switch places[place] {
                case .accept: return true
                case .end(let then): stack.append(contentsOf: closure([then]))
                case .branch(let targets): stack.append(contentsOf: targets)
                case .digit: break
                }
            }
            return false
        }

        var states: [[Int]] = [closure([start])]
        var numbered: [[Int]: Int32] = [states[0]: 0]
        var next: [Int32] = []
        var accepts: [Bool] = []
        var index = 0
        while index < states.count {
            let set = states[index]
            accepts.append(accepting(set))
            for digit in 0..<10 {
                let bit = UInt16(1) << UInt16(digit)
                let targets = set.compactMap { place -> Int? in
                    if case .digit(let allowed, let then) = places[place], allowed & bit != 0 { return then }
                    return nil
                }
                guard !targets.isEmpty else {
                    next.append(-1)
                    continue
                }
                let target = closure(targets)
                if let known = numbered[target] {
                    next.append(known)
                } else {
                    guard states.count < Self.limit else { return nil }
                    numbered[target] = Int32(states.count)
                    next.append(Int32(states.count))
                    states.append(target)
                }
            }
            index += 1
        }
        self.next = next
        self.accepts = accepts
    }
}

/// One attempt at a match: the input and the capture slots, backtracking through continuations.
private final class Run {
    let input: [UInt8]
    var slots: [Int]

    init(input: [UInt8], groups: Int) {
        self.input = input
        self.slots = Array(repeating: -1, count: 2 * groups)
    }

    func match(_ node: DigitPattern.Node, at position: Int, then next: (Int) -> Bool) -> Bool {
        switch node {
        case .digit(let set):
            return position < input.count && set & (1 << UInt16(input[position])) != 0 && next(position + 1)
        case .end:
            return position == input.count && next(position)
        case .group(let alternatives, let capture):
            for sequence in alternatives {
                if sequence.cannotStart(at: position, in: input) { continue }
                if let capture {
                    let saved = (slots[2 * capture], slots[2 * capture + 1])
                    slots[2 * capture] = position
                    let matched = match(sequence.nodes, from: 0, at: position) { end in
                        let before = self.slots[2 * capture + 1]
                        self.slots[2 * capture + 1] = end
                        if next(end) { return true }
                        self.slots[2 * capture + 1] = before
                        return false
                    }
                    if matched { return true }
                    (slots[2 * capture], slots[2 * capture + 1]) = saved
                } else if match(sequence.nodes, from: 0, at: position, then: next) {
                    return true
                }
            }
            return false
        case .repeated(let inner, let min, let max):
            return repeated(inner, min: min, max: max, count: 0, at: position, then: next)
        }
    }

    private func match(
        _ sequence: [DigitPattern.Node], from index: Int, at position: Int, then next: (Int) -> Bool
    ) -> Bool {
        guard index < sequence.count else { return next(position) }
        return match(sequence[index], at: position) { self.match(sequence, from: index + 1, at: $0, then: next) }
    }

    /// Greedy: one more repetition first, then stopping here. A repetition that takes nothing ends the loop.
    private func repeated(
        _ inner: DigitPattern.Node, min: Int, max: Int?, count: Int, at position: Int, then next: (Int) -> Bool
    ) -> Bool {
        if count < max ?? Int.max {
            let more = match(inner, at: position) { end in
                (end > position || count < min)
                    && self.repeated(inner, min: min, max: max, count: count + 1, at: end, then: next)
            }
            if more { return true }
        }
        return count >= min && next(position)
    }
}

/// Recursive descent over the dialect's grammar.
private struct Parser {
    let source: [UInt8]
    let pattern: String
    var index = 0
    var groups = 0

    func error() -> DigitPattern.SyntaxError { DigitPattern.SyntaxError(pattern: pattern, offset: index) }

    private var current: UInt8? { index < source.count ? source[index] : nil }

    private mutating func take(_ byte: Character) -> Bool {
        guard current == byte.asciiValue else { return false }
        index += 1
        return true
    }

    mutating func alternatives() throws(DigitPattern.SyntaxError) -> [DigitPattern.Sequence] {
        var result = [DigitPattern.Sequence(try sequence())]
        while take("|") { result.append(DigitPattern.Sequence(try sequence())) }
        return result
    }

    private mutating func sequence() throws(DigitPattern.SyntaxError) -> [DigitPattern.Node] {
        var nodes: [DigitPattern.Node] = []
        while let byte = current, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
            nodes.append(try quantified(try atom()))
        }
        return nodes
    }

    private mutating func atom() throws(DigitPattern.SyntaxError) -> DigitPattern.Node {
        guard let byte = current else { throw error() }
        index += 1
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .digit(1 << UInt16(byte - UInt8(ascii: "0")))
        case UInt8(ascii: "\\"):
            guard take("d") else { throw error() }
            return .digit(0x3FF)
        case UInt8(ascii: "$"):
            return .end
        case UInt8(ascii: "["):
            return .digit(try digitClass())
        case UInt8(ascii: "("):
            var capture: Int?
            if take("?") {
                guard take(":") else { throw error() }
            } else {
                capture = groups
                groups += 1
            }
            let inner = try alternatives()
            guard take(")") else { throw error() }
            return .group(inner, capture: capture)
        default:
            index -= 1
            throw error()
        }
    }

    /// `[…]` after its `[`: digits, ranges and `\d`.
    private mutating func digitClass() throws(DigitPattern.SyntaxError) -> UInt16 {
        var set: UInt16 = 0
        while !take("]") {
            if take("\\") {
                guard take("d") else { throw error() }
                set |= 0x3FF
                continue
            }
            guard let low = digit() else { throw error() }
            var high = low
            if take("-") {
                guard let end = digit(), end >= low else { throw error() }
                high = end
            }
            for d in low...high { set |= 1 << UInt16(d) }
        }
        return set
    }

    private mutating func digit() -> UInt8? {
        guard let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        index += 1
        return byte - UInt8(ascii: "0")
    }

    private mutating func quantified(_ node: DigitPattern.Node) throws(DigitPattern.SyntaxError) -> DigitPattern.Node {
        if take("?") { return .repeated(node, min: 0, max: 1) }
        if take("*") { return .repeated(node, min: 0, max: nil) }
        if take("+") { return .repeated(node, min: 1, max: nil) }
        guard take("{") else { return node }
        guard let min = number() else { throw error() }
        var max: Int? = min
        if take(",") { max = number() }
        guard take("}"), max.map({ $0 >= min }) ?? true else { throw error() }
        return .repeated(node, min: min, max: max)
    }

    private mutating func number() -> Int? {
        var value: Int?
        while let d = digit() { value = (value ?? 0) * 10 + Int(d) }
        return value
    }
}
