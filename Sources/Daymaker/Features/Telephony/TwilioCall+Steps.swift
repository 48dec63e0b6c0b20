import DaymakerCore
import Fluent
import Foundation
import Vapor

extension TwilioCall {
    /// What each step does; see ``TwilioCall`` for the path of a call. A step whose event cannot be recorded is
    /// logged and the call goes on: a caller is never dropped because Daymaker could not write something down.
    struct Steps: Sendable {
        let call: Request
        let events: Events
        let db: any Database
        let logger: Logger

        func answer(_ step: Step) async throws -> TwiML {
            switch step {
            case .voice: return await arrived()
            case .gather: return await gathered()
            case .wait: return try await holding()
            case .enqueued: return try await leftQueue()
            case .dialled: return try await dialled()
            case .status: return try await statusChanged()
            }
        }

        /// The call arrives: greeting, then the caller may key a customer number or say whom they want.
        private func arrived() async -> TwiML {
            await record(.arrived, "arrived")
            let greeting =
                "Thank you for calling \(call.program.name). If you know your customer number, key it in now and "
                + "press the hash key. Or say the name of the person you would like to speak with."
            return TwiML([
                .init(
                    "Gather",
                    [
                        ("input", "dtmf speech"), ("action", call.url(.gather)), ("method", "POST"),
                        ("timeout", "6"), ("finishOnKey", "#"), ("speechTimeout", "auto"),
                    ], [.init("Say", text: greeting)]),
                // Nothing keyed or said: Twilio goes on to the next verb, and the call is queued all the same.
                .init("Redirect", [("method", "POST")], text: call.url(.gather)),
            ])
        }

        /// Queued with what the caller gave, and offered to a rep at once.
        private func gathered() async -> TwiML {
            let said = call["SpeechResult"]?.trimmingCharacters(in: .punctuationCharacters.union(.whitespaces))
            await record(.queued, "queued", requestedRep: said?.nilIfBlank, customerNumber: call["Digits"])
            await route()
            return TwiML([enqueue])
        }

        private var enqueue: TwiML.Element {
            .init(
                "Enqueue",
                [
                    ("action", call.url(.enqueued)), ("method", "POST"), ("waitUrl", call.url(.wait)),
                    ("waitUrlMethod", "POST"),
                ], text: call.program.code)
        }

        /// While holding: the position now and then, short pauses in between so a rep's accepting is heard within
        /// seconds; `<Leave>` once a rep has accepted the contact.
        private func holding() async throws -> TwiML {
            if let contact = try await contact(), contact.$rep.id != nil, contact.answeredAt == nil,
                !contact.status.isOver
            {
                return TwiML([.init("Leave")])
            }
            let seconds = Int(call["QueueTime"] ?? "") ?? 0
            var verbs: [TwiML.Element] = []
            if seconds < 3 || seconds % 60 < 3 {
                let position = Int(call["QueuePosition"] ?? "") ?? 0
                let place = position <= 1 ? "You are next in line." : "You are number \(position) in line."
                verbs.append(.init("Say", text: "\(place) Thank you for waiting; someone will be with you shortly."))
            }
            verbs.append(.init("Pause", [("length", "3")]))
            return TwiML(verbs)
        }

        /// The caller left the queue: to the rep who accepted, or the call was hung up or failed in the queue.
        private func leftQueue() async throws -> TwiML {
            switch call["QueueResult"] {
            case "leave":
                guard let contact = try await contact(), let rep = contact.$rep.id, !contact.status.isOver else {
                    return TwiML([enqueue])
                }
                let leg = [("rep", rep.lowercaseText)]
                return TwiML([
                    .init(
                        "Dial", [("action", call.url(.dialled, query: leg)), ("method", "POST"), ("timeout", "20")],
                        [
                            .init(
                                "Client",
                                [
                                    ("statusCallbackEvent", "answered"),
                                    ("statusCallback", call.url(.status, query: leg)),
                                    ("statusCallbackMethod", "POST"),
                                ],
                                [
                                    .init("Identity", text: TwilioCall.clientIdentity(of: rep)),
                                    .init(
                                        "Parameter",
                                        [
                                            ("name", "daymakerContactId"),
                                            ("value", try contact.requireID().lowercaseText),
                                        ]),
                                ])
                        ])
                ])
            case "hangup":
                await record(.abandoned, "abandoned")
                return TwiML([])
            case "queue-full", "error", "system-error":
                await record(.failed, "failed")
                return TwiML([
                    .init("Say", text: "We are sorry, we cannot take your call right now. Please call again later."),
                    .init("Hangup"),
                ])
            default:  // bridged or redirected elsewhere: nothing to add
                return TwiML([])
            }
        }

        /// The rep's leg is over: the contact ended, or, when the rep's phone did not answer, it waits for the next
        /// rep and that rep becomes away (they are not at their phone).
        private func dialled() async throws -> TwiML {
            let rep = call.queryRep
            switch call["DialCallStatus"] {
            case "completed", "answered":
                await record(.ended, "ended", repID: rep)
                return TwiML([])
            default:
                guard let contact = try await contact(), !contact.status.isOver else { return TwiML([]) }
                if let rep, contact.$rep.id == rep {
                    try await db.writeTransaction { db in
                        contact.$rep.id = nil
                        try await contact.save(on: db)
                        try await RepPresence.set(.away, userID: rep, by: nil, until: nil, now: call.now, on: db)
                    }
                    await events.publish(.presenceChanged(rep), on: db)
                }
                await route()
                return TwiML([.init("Say", text: "Sorry, that line did not answer. Please hold."), enqueue])
            }
        }

        /// Status callbacks: the rep's leg answered (the contact is connected), or how the call itself ended.
        private func statusChanged() async throws -> TwiML {
            let status = call["CallStatus"]
            if let rep = call.queryRep, let parent = call["ParentCallSid"] {
                if status == "in-progress" { await record(.answered, "answered", contact: parent, repID: rep) }
                return TwiML([])
            }
            switch status {
            case "completed":
                guard let contact = try await contact(), !contact.status.isOver else { return TwiML([]) }
                await record(contact.answeredAt == nil ? .abandoned : .ended, "completed")
            case "busy", "no-answer", "canceled":
                await record(.abandoned, status!)
            case "failed":
                await record(.failed, "failed")
            default:
                break
            }
            return TwiML([])
        }

        /// The contact this call is (by its call SID), if it arrived.
        private func contact() async throws -> Contact? {
            try await Contact.query(on: db).filter(\.$program.$id == call.program.requireID())
                .filter(\.$externalID == call.callSID).first()
        }

        /// Records one event of this call (or of `contact`, another call's SID); the event id is the call's SID and
        /// the step, so a retried request is a duplicate.
        private func record(
            _ type: ContactTimeline.EventType, _ step: String, contact: String? = nil, requestedRep: String? = nil,
            customerNumber: String? = nil, repID: UUID? = nil
        ) async {
            do {
                let sid = try call.callSID
                let event = ContactEventRequest(
                    eventId: "twilio-\(sid)-\(step)", type: type, program: call.program.code,
                    externalContactId: contact ?? sid, channel: .voice, from: call["From"] ?? "withheld",
                    to: call["To"] ?? "", at: call.at, requestedRep: requestedRep, customerNumber: customerNumber,
                    repId: repID, reason: nil)
                _ = try await ContactEvents.apply(event, program: call.program, now: call.now, events: events, on: db)
            } catch {
                logger.warning(
                    "A Twilio call's \(type.rawValue) in program \(call.program.code) was not recorded: \(LogSafe.describe(error))"
                )
            }
        }

        /// Offers what waits in the program (a caller who just queued, a contact a rep's phone let go).
        private func route() async {
            do {
                _ = try await Router.route(
                    programID: try call.program.requireID(), now: call.now, events: events, on: db)
            } catch {
                logger.warning("Routing program \(call.program.code) failed: \(LogSafe.describe(error))")
            }
        }
    }
}
