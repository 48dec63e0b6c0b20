import Testing

@testable import DaymakerCore

@Suite struct FieldValidatorTests {
    @Test func textIsTrimmedAndCheckedAndEveryFailureIsKept() {
        var v = FieldValidator()
        #expect(v.text("  Sarah Jones \n", "fullName") == "Sarah Jones")
        #expect(v.text("   ", "displayName") == nil)
        #expect(v.text(nil, "notes", required: false) == nil)
        #expect(v.text("a\u{0}b", "reason") == nil)
        // Counted in code points, as JSON Schema counts maxLength: five accented letters fit in five.
        #expect(v.text("ééééé", "code", maxLength: 5) == "ééééé")
        #expect(v.text("ééééé!", "name", maxLength: 5) == nil)
        v.check(false, "windowDays", "must be from 7 to 730")
        #expect(v.count([1, 2, 3], "phones", max: 2, "phone numbers") == false)
        #expect(
            throws: ValidationFailure([
                .init(field: "displayName", detail: "is required"),
                .init(field: "reason", detail: "must not contain a NUL character"),
                .init(field: "name", detail: "must be at most 5 characters"),
                .init(field: "windowDays", detail: "must be from 7 to 730"),
                .init(field: "phones", detail: "at most 2 phone numbers"),
            ])
        ) {
            try v.finish()
        }
    }

    @Test func nothingWrongThrowsNothing() {
        var v = FieldValidator()
        _ = v.text("ok", "name")
        v.check(true, "windowDays", "never shown")
        #expect(throws: Never.self) { try v.finish() }
    }

    @Test func aDomainErrorSaysWhatIsMissingWithoutSayingWhetherItExists() {
        #expect(NotFound("Customer").kind == .notFound)
        #expect(NotFound("Customer").description == "Customer does not exist or is not yours to see.")
    }
}
