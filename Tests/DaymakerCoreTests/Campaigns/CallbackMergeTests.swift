import Foundation
import Testing

@testable import DaymakerCore

@Suite struct CallbackMergeTests {
    static let start = Date(timeIntervalSince1970: 1_796_450_400)

    static func at(_ minutes: Double) -> Date { start.addingTimeInterval(minutes * 60) }

    @Test func attemptsAreMergedPerNumber() {
        var merge = CallbackMerge()
        merge.attempt("+13125550142", problem: nil, at: Self.at(10), channel: .voice)
        merge.attempt("+12125550100", problem: nil, at: Self.at(5), channel: .sms)
        merge.attempt("+13125550142", problem: nil, at: Self.at(2), channel: .sms)
        merge.attempt("+13125550142", problem: nil, at: Self.at(30), channel: .voice)
        merge.attempt("+13125550199", problem: nil, at: Self.at(20), channel: .request)
        let (kept, attempts, gotThrough) = merge.take()
        #expect(attempts == 5 && gotThrough == 0)
        // In number order.
        #expect(
            kept == [
                .init(
                    number: "+12125550100", problem: nil, attempts: 1, first: Self.at(5), last: Self.at(5),
                    voice: false, sms: true, explicit: false),
                .init(
                    number: "+13125550142", problem: nil, attempts: 3, first: Self.at(2), last: Self.at(30),
                    voice: true, sms: true, explicit: false),
                // Asking to be called back is a voice callback.
                .init(
                    number: "+13125550199", problem: nil, attempts: 1, first: Self.at(20), last: Self.at(20),
                    voice: true, sms: false, explicit: true),
            ])
    }

    @Test func aNumberThatGotThroughAfterItsLastAttemptIsLeftOut() {
        var merge = CallbackMerge()
        merge.attempt("+13125550142", problem: nil, at: Self.at(10), channel: .voice)
        merge.attempt("+13125550142", problem: nil, at: Self.at(40), channel: .voice)
        merge.attempt("+13125550177", problem: nil, at: Self.at(10), channel: .voice)
        merge.attempt("+13125550188", problem: nil, at: Self.at(10), channel: .voice)
        // Got through between its attempts, then tried again: still to call back.
        merge.gotThrough("+13125550142", at: Self.at(20))
        // Got through after its last attempt (the latest time counts): left out.
        merge.gotThrough("+13125550177", at: Self.at(50))
        merge.gotThrough("+13125550177", at: Self.at(5))
        // At the very time of its attempt: not after it.
        merge.gotThrough("+13125550188", at: Self.at(10))
        // Never tried: nothing to call back.
        merge.gotThrough("+13125550100", at: Self.at(15))
        let (kept, attempts, gotThrough) = merge.take()
        #expect(kept.map(\.number) == ["+13125550142", "+13125550188"])
        #expect(attempts == 4 && gotThrough == 1)
    }

    @Test func aNumberThatCannotBeCalledSaysWhy() {
        var merge = CallbackMerge()
        merge.attempt("Anonymous", problem: "withheld", at: Self.at(1), channel: .voice)
        merge.attempt("Anonymous", problem: nil, at: Self.at(2), channel: .voice)
        merge.attempt("Anonymous", problem: "not a number", at: Self.at(3), channel: .voice)
        merge.attempt("+13125550142", problem: nil, at: Self.at(4), channel: .voice)
        let kept = merge.take().kept
        #expect(kept.map(\.problem) == [nil, "not a number"])
        #expect(kept[1].attempts == 3)
    }
}
