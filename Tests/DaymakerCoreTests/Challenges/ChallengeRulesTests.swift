import DaymakerCore
import Foundation
import Testing

@Suite struct ChallengeRulesTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)
    static let end = start.addingTimeInterval(7 * 86_400)

    @Test(arguments: [
        (-1.0, false, ChallengeWindow.Phase.upcoming),
        (0.0, false, .running),
        (7 * 86_400 - 1.0, false, .running),
        (7 * 86_400.0, false, .ended),
        (3600.0, true, .closed),
        (-3600.0, true, .closed),
    ])
    func phase(seconds: Double, closed: Bool, is phase: ChallengeWindow.Phase) {
        let window = ChallengeWindow(
            start: Self.start, end: Self.end, closedAt: closed ? Self.start : nil)
        #expect(window.phase(at: Self.start.addingTimeInterval(seconds)) == phase)
    }

    @Test func aManagersQuestionsAreTrimmedAndCounted() {
        var errors = FieldValidator()
        #expect(FollowUpQuestions.checked(nil, field: "q", into: &errors) == nil)
        #expect(
            FollowUpQuestions.checked(["  How did it feel? ", "", " "], field: "q", into: &errors) == [
                "How did it feel?"
            ])
        #expect(errors.errors.isEmpty)
        _ = FollowUpQuestions.checked([" "], field: "q", into: &errors)
        _ = FollowUpQuestions.checked(Array(repeating: "Why?", count: 11), field: "r", into: &errors)
        _ = FollowUpQuestions.checked([String(repeating: "x", count: 501)], field: "s", into: &errors)
        #expect(errors.errors.map(\.field) == ["q", "r", "s[0]"])
    }
}
