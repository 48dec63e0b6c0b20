import DaymakerCore
import Fluent
import Foundation
import Vapor

/// A call through Twilio Programmable Voice, step by step: each step is a webhook Twilio requests, answered with
/// TwiML, and turned into the same contact events the events API takes (one event id per call and step, so a
/// request Twilio retries changes nothing).
///
/// During an incident on voice, `voice` plays the incident's IVR message and offers a callback; `incident` takes
/// the choice (1: a callback request with the caller's number) and ends the call.
///
/// The path of a call: `voice` (it arrives: greeting, `<Gather>` a customer number or the name of a rep) →
/// `gather` (queued, with what the caller gave; routing offers it) → `<Enqueue>`, where Twilio asks `wait` for
/// what to play while holding (position and hold message; `<Leave>` once a rep accepted) → `enqueued` (the queue's
/// outcome: `<Dial><Client>` the rep who accepted, or abandoned) → `dialled` (the rep's leg ended: the contact
/// ended, or back to the queue when the rep's phone did not answer; a caller still on the line may be asked the
/// program's survey: `survey` takes the score keyed, `thanks` a recorded thank-you). `status` takes the call's
/// status callbacks and the rep's leg being answered.
enum TwilioCall {
    enum Step: String, CaseIterable, Sendable {
        case voice, gather, callback, incident, wait, enqueued, dialled, survey, thanks, status
    }

    /// The absolute address of a step for a program, as Twilio will request (and sign) it.
    static func url(_ step: Step, program: String, base: URL, query: [(String, String)] = []) -> String {
        var components = URLComponents()
        components.queryItems = ([("program", program)] + query).map { URLQueryItem(name: $0.0, value: $0.1) }
        var root = base.absoluteString
        while root.hasSuffix("/") { root.removeLast() }
        return root + "/telephony/twilio/" + step.rawValue + "?" + (components.percentEncodedQuery ?? "")
    }

    /// The Twilio Client identity a rep's softphone registers with: `rep_` and their user id's 32 hex digits.
    static func clientIdentity(of rep: UUID) -> String {
        "rep_" + rep.lowercaseText.replacingOccurrences(of: "-", with: "")
    }

    /// A time as a voice says it, in the program's zone: "today at 2 PM", "tomorrow at 9:30 AM", "on Monday at 9
    /// AM", "on 3 January at 9 AM".
    static func spoken(_ date: Date, now: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = calendar.component(.minute, from: date) == 0 ? "h a" : "h:mm a"
        let time = "at " + formatter.string(from: date)
        let days =
            calendar.dateComponents(
                [.day], from: calendar.startOfDay(for: now), to: calendar.startOfDay(for: date)
            ).day ?? 0
        switch days {
        case ...0: return "today " + time
        case 1: return "tomorrow " + time
        case 2...6:
            formatter.dateFormat = "EEEE"
            return "on \(formatter.string(from: date)) " + time
        default:
            formatter.dateFormat = "d MMMM"
            return "on \(formatter.string(from: date)) " + time
        }
    }

    /// One verified request: the program it is for and every parameter Twilio sent (the first value of a name).
    struct Request: Sendable {
        let program: Program
        /// The POST parameters.
        let parameters: [String: String]
        /// The query string's (signed too: Daymaker wrote them into the addresses it gave Twilio).
        let query: [String: String]
        let now: Date
        let base: URL

        subscript(_ name: String) -> String? { parameters[name]?.nilIfBlank }

        /// The rep whose leg a `dialled` or `status` request is about.
        var queryRep: UUID? { query["rep"].flatMap(UUID.init(uuidString:)) }

        var callSID: String {
            get throws(ValidationFailure) {
                guard let sid = self["CallSid"] else { throw ValidationFailure(field: "CallSid", "is required") }
                return sid
            }
        }

        /// When Twilio says the status changed (`Timestamp`, RFC 2822), else when the request came.
        var at: Date {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
            guard let stamp = self["Timestamp"], let date = formatter.date(from: stamp) else { return now }
            return min(date, now)
        }

        func url(_ step: Step, query: [(String, String)] = []) -> String {
            TwilioCall.url(step, program: program.code, base: base, query: query)
        }
    }
}
