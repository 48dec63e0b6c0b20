import Testing

@testable import DaymakerCore

@Suite struct DigitPatternTests {
    private func digits(_ text: String) -> [UInt8] { text.utf8.map { $0 - UInt8(ascii: "0") } }

    /// Whole matches, through the automaton and by backtracking alike.
    @Test(arguments: [
        ("[2-9]\\d{9}|3\\d{6}", "3125550142", true),
        ("[2-9]\\d{9}|3\\d{6}", "1125550142", false),
        ("[2-9]\\d{9}|3\\d{6}", "3125550", true),
        ("180(?:0\\d{3}|2)\\d{3}", "1800123456", true),
        ("180(?:0\\d{3}|2)\\d{3}", "1802123", true),
        ("180(?:0\\d{3}|2)\\d{3}", "180212", false),
        ("1\\d{4,7}", "1234", false),
        ("1\\d{4,7}", "12345678", true),
        ("1\\d{4,7}", "123456789", false),
        ("[0-24-8]\\d?", "3", false),
        ("[0-24-8]\\d?", "4", true),
        ("(?:00|[1-9]\\d)\\d{6}", "00123456", true),
        ("1\\d*", "1", true),
        ("1\\d+", "1", false),
        ("1\\d{2,}", "1234567", true),
        ("([457]\\d{6})$|1", "4601234", true),
        ("([457]\\d{6})$|1", "1", true),
        ("([457]\\d{6})$|1", "46012345", false),
        ("1$2", "12", false),
        ("(?:1?)*2", "1112", true),
        ("(?:1?)*2", "2", true),
        ("(?:1?)*2", "1113", false),
        ("(?:12|1)(?:23)?3", "1233", true),
        ("(?:12|1)(?:23)?3", "123", true),
        ("(?:12|1)(?:23)?3", "12233", true),
        ("(?:[12]{2,3}){2}", "1212", true),
        ("(?:[12]{2,3}){2}", "121", false),
        ("(?:[12]{2,3}){2}", "1212121", false),
    ])
    func matchesWholeNumbers(pattern: String, number: String, matches: Bool) throws {
        let compiled = try DigitPattern(pattern)
        #expect(compiled.matchesWhole(digits(number)) == matches)
        #expect(compiled.matchesWholeByBacktracking(digits(number)) == matches)
    }

    /// Every region's patterns, against every example number of its calling code, each also with a digit changed,
    /// dropped or added: the automaton and backtracking agree, and the numbers that match are found.
    @Test func theAutomatonAgreesWithBacktrackingOnEveryRegionsNumbers() {
        var numbers: [Int: Set<[UInt8]>] = [:]
        for line in libphonenumberCases.split(separator: "\n") {
            let e164 = line.split(separator: "\t").last.map(String.init) ?? ""
            guard e164.hasPrefix("+") else { continue }
            let all = digits(String(e164.dropFirst()))
            guard let (code, rest) = PhoneRegion.callingCode(leading: all[...]) else { continue }
            let nsn = Array(rest)
            var variants: Set<[UInt8]> = [nsn, Array(nsn.dropLast()), nsn + [UInt8(nsn.count % 10)]]
            for index in nsn.indices { variants.insert(nsn.enumerated().map { $0 == index ? ($1 + 3) % 10 : $1 }) }
            numbers[code, default: []].formUnion(variants)
        }
        var (checked, matched, disagreements) = (0, 0, [String]())
        for region in PhoneRegion.all {
            let patterns = [region.general.pattern] + region.kinds.map(\.description.pattern)
            for pattern in patterns {
                for number in numbers[region.callingCode] ?? [] {
                    let whole = pattern.matchesWhole(number)
                    checked += 1
                    if whole { matched += 1 }
                    if whole != pattern.matchesWholeByBacktracking(number) {
                        disagreements.append("\(region.id) \(number.map(String.init).joined())")
                    }
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
        #expect(checked > 100_000)
        #expect(matched > 10_000)
    }

    /// A prefix match ends, and captures, where Python's `re.match` does: alternatives in order, greedy.
    @Test func prefixMatchesFindTheFirstMatchAndItsGroups() throws {
        let australia = try DigitPattern("(183[12])|0")
        let carrier = try #require(australia.prefixMatch(digits("18311234567")))
        #expect(carrier.end == 4 && carrier.groups == [0..<4])
        let trunk = try #require(australia.prefixMatch(digits("0212345678")))
        #expect(trunk.end == 1 && trunk.groups == [nil])
        #expect(australia.prefixMatch(digits("212345678")) == nil)

        let brazil = try DigitPattern("(?:0|90)(?:(1[245]|2[1-35]|31|4[13]|[56]5|99)(\\d{10,11}))?")
        let dialled = try #require(brazil.prefixMatch(digits("02111961234567")))
        #expect(dialled.end == 14 && dialled.groups == [1..<3, 3..<14])

        let antigua = try DigitPattern("([457]\\d{6})$|1")
        #expect(try #require(antigua.prefixMatch(digits("4601234"))).groups == [0..<7])
        #expect(try #require(antigua.prefixMatch(digits("12684601234"))).end == 1)
        #expect(antigua.prefixMatch(digits("46012345")) == nil)
    }

    @Test(arguments: ["(?=1)", "[a-z]", "1{3,2}", "(12", "12)", "\\w", "[9-0]"])
    func refusesWhatTheDialectDoesNotHave(pattern: String) {
        #expect(throws: DigitPattern.SyntaxError.self) { try DigitPattern(pattern) }
    }
}
