import DaymakerCore
import Testing

/// A program's own tags and root causes beside the shared defaults.
@Suite struct VocabularyTests {
    @Test(
        arguments: [
            ("billing-error", "billing-error"),
            ("Billing error", "billing-error"),
            ("  late   pickup ", "late-pickup"),
            ("wait_time_2", "wait-time-2"),
            ("x", nil),
            ("2fast", nil),
            ("café", nil),
            ("drop;table", nil),
            ("", nil),
            (String(repeating: "a", count: 41), nil),
            (String(repeating: "a", count: 40), String(repeating: "a", count: 40)),
        ] as [(String, String?)])
    func aWordIsWrittenAsLowerCaseHyphenatedLetters(text: String, word: String?) {
        #expect(Vocabulary.word(text) == word)
    }

    @Test func additionsKeepTheirOrderOnceAndNeverRepeatADefault() {
        var errors = FieldValidator()
        let extras = Vocabulary.extras(
            ["Late pickup", "empathy", "late-pickup", " ", "Driver kindness", "?!"],
            defaults: MomentTag.allCases.map(\.rawValue), field: "extraMomentTags", into: &errors)
        #expect(extras == ["late-pickup", "driver-kindness"])
        #expect(errors.errors == [FieldError(field: "extraMomentTags[5]", detail: errors.errors.first?.detail ?? "")])
        #expect(errors.errors.first?.detail.contains("'?!'") == true)
    }

    @Test func atMostThirtyAdditions() {
        var errors = FieldValidator()
        let many = (1...31).map { "tag-\($0)" }
        _ = Vocabulary.extras(many, defaults: [], field: "extraRootCauses", into: &errors)
        #expect(errors.errors.map(\.field) == ["extraRootCauses"])
        var fine = FieldValidator()
        #expect(Vocabulary.extras(Array(many.prefix(30)), defaults: [], field: "f", into: &fine).count == 30)
        #expect(fine.errors.isEmpty)
    }

    @Test func choicesAreCheckedAgainstTheDefaultsAndThePrograms() {
        let tags = MomentTag.vocabulary(extras: "late-pickup,driver-kindness")
        #expect(
            tags.all.prefix(7) == [
                "recognition", "empathy", "ownership", "going-beyond", "un-ruining-a-day",
                "patience", "follow-through",
            ])
        #expect(tags.extras == ["late-pickup", "driver-kindness"])
        var errors = FieldValidator()
        #expect(
            tags.chosen(["late-pickup", "empathy", "late-pickup"], field: "tags", into: &errors) == [
                "empathy", "late-pickup",
            ])
        #expect(errors.errors.isEmpty)
        _ = MomentTag.vocabulary(extras: "").chosen(["late-pickup"], field: "tags", into: &errors)
        #expect(errors.errors.map(\.field) == ["tags"])
        #expect(errors.errors.first?.detail.hasPrefix("'late-pickup' is not one of recognition") == true)
    }

    @Test func aChallengeAcrossProgramsMayNameEitherProgramsRootCauses() {
        let causes = RootCause.vocabulary(extras: ["ride-times,wait-time", "", "tariff-letters,ride-times"])
        #expect(causes.extras == ["ride-times", "tariff-letters"])
        #expect(causes.all.first == "unclear-website" && causes.all.last == "tariff-letters")
    }
}
