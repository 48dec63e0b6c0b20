import Foundation
import Testing

@testable import DaymakerCore

@Suite struct TTLCacheTests {
    let start = Date(timeIntervalSince1970: 1_795_015_800)

    @Test func aValueLivesForItsLifetimeAndNeverPastItsLimit() {
        let cache = TTLCache<String, Int>(lifetime: 10)
        cache.store(1, for: "a", now: start, loadedAt: cache.generation)
        cache.store(2, for: "b", now: start, notAfter: start.addingTimeInterval(3), loadedAt: cache.generation)
        #expect(cache.value(for: "a", now: start.addingTimeInterval(9.9)) == 1)
        #expect(cache.value(for: "a", now: start.addingTimeInterval(10)) == nil)
        #expect(cache.value(for: "b", now: start.addingTimeInterval(2.9)) == 2)
        #expect(cache.value(for: "b", now: start.addingTimeInterval(3)) == nil, "a token's expiry ends its entry")
    }

    @Test func aLoadThatRacedAnInvalidationIsNotRemembered() async {
        let cache = TTLCache<String, String>(lifetime: 10)
        // The load reads the old permissions; the change commits and its event empties the cache before the load
        // finishes. The caller gets what it read, but the next request must load again.
        let read = await cache.value(for: "token", now: start) {
            cache.remove { _, _ in true }
            return "rep in RIDE"
        }
        #expect(read == "rep in RIDE")
        #expect(cache.value(for: "token", now: start) == nil)
        let again = await cache.value(for: "token", now: start) { "rep in no program" }
        #expect(again == "rep in no program")
        #expect(cache.value(for: "token", now: start) == "rep in no program")
    }

    @Test func removingForgetsOnlyWhatMatches() {
        let cache = TTLCache<String, Int>(lifetime: 10)
        for (key, value) in [("a", 1), ("b", 2), ("c", 3)] {
            cache.store(value, for: key, now: start, loadedAt: cache.generation)
        }
        cache.remove { _, value in value.isMultiple(of: 2) }
        #expect(cache.value(for: "a", now: start) == 1)
        #expect(cache.value(for: "b", now: start) == nil)
        #expect(cache.value(for: "c", now: start) == 3)
        cache.update("a") { $0 += 10 }
        #expect(cache.value(for: "a", now: start) == 11)
        cache.removeAll()
        #expect(cache.count == 0)
    }

    @Test func aFullCacheDropsExpiredEntriesFirst() {
        let cache = TTLCache<Int, Int>(lifetime: 10, capacity: 3)
        cache.store(1, for: 1, now: start, loadedAt: cache.generation)
        cache.store(2, for: 2, now: start.addingTimeInterval(5), loadedAt: cache.generation)
        cache.store(3, for: 3, now: start.addingTimeInterval(5), loadedAt: cache.generation)
        let later = start.addingTimeInterval(11)
        cache.store(4, for: 4, now: later, loadedAt: cache.generation)
        #expect(cache.count == 3)
        #expect([2, 3, 4].map { cache.value(for: $0, now: later) } == [2, 3, 4])
    }
}
