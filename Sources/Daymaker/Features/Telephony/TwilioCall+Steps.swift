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
            case .voice: return try await arrived()
            case .gather: return try await gathered()
            case .callback: return try await choseCallback()
            case .incident: return try await choseDuringIncident()
            case .wait: return try await holding()
            case .enqueued: return try await leftQueue()
            case .dialled: return try await dialled()
            case .survey: return try await scored()
            case .thanks: return try await thanked()
            case .status: return try await statusChanged()
            }
        }

        /// The call comes in: greeting, then the caller may key a customer number or say whom they want. The
        /// contact is recorded once the caller is through (`gather`), so routing knows whom they asked for; the
        /// time it came in travels in the addresses Daymaker gives Twilio (which Twilio signs).
        private func arrived() async throws -> TwiML {
            let arrived = ("arrived", String(Int64(call.now.timeIntervalSince1970 * 1000)))
            if let incident = try await Incidents.current(program: call.program.requireID(), channel: .voice, on: db) {
                let choice = call.url(
                    .incident, query: [arrived, ("incident", try incident.requireID().lowercaseText)])
                return TwiML([
                    .init(
                        "Gather",
                        [
                            ("input", "dtmf"), ("numDigits", "1"), ("action", choice), ("method", "POST"),
                            ("timeout", "8"),
                        ],
                        [
                            .init(
                                "Say",
                                text: incident.ivrMessage
                                    + " Press 1 and we will call you back at this number as soon as we can.")
                        ]),
                    .init("Redirect", [("method", "POST")], text: choice),
                ])
            }
            let next = call.url(.gather, query: [arrived])
            let greeting =
                "Thank you for calling \(call.program.name). If you know your customer number, key it in now and "
                + "press the hash key. Or say the name of the person you would like to speak with."
            return TwiML([
                .init(
                    "Gather",
                    [
                        ("input", "dtmf speech"), ("action", next), ("method", "POST"), ("timeout", "6"),
                        ("finishOnKey", "#"), ("speechTimeout", "auto"),
                    ], [.init("Say", text: greeting)]),
                // Nothing keyed or said: Twilio goes on to the next verb, and the call is queued all the same.
                .init("Redirect", [("method", "POST")], text: next),
            ])
        }

        /// Through the menu: queued with what the caller gave and offered to a rep at once; or, when the rep they
        /// asked for is away or offline, the choice between a callback from that rep and the next person.
        private func gathered() async throws -> TwiML {
            let said = call["SpeechResult"]?.trimmingCharacters(in: .punctuationCharacters.union(.whitespaces))
                .nilIfBlank
            let number = call["Digits"]
            // Whom they asked for by name, else their own rep (preferred, or who helped them last): if that rep is
            // off, they choose.
            var absent: (id: String, name: String, when: String)?
            if let said {
                let named = try await User.members(named: said, of: call.program.requireID(), on: db)
                if named.count == 1 { absent = try await away(named[0]) }
            } else if let theirs = try await theirRep(customerNumber: number) {
                absent = try await away(theirs)
            }
            if let absent {
                var carried = [("arrived", call.query["arrived"] ?? "")]
                if let said { carried.append(("asked", said)) }
                carried.append(("rep", absent.id))
                if let number { carried.append(("number", number)) }
                let choice = call.url(.callback, query: carried)
                let offer =
                    "\(absent.name) \(absent.when). Press 1 and \(absent.name) will call you back, "
                    + "or 2 for the next person."
                return TwiML([
                    .init(
                        "Gather",
                        [
                            ("input", "dtmf"), ("numDigits", "1"), ("action", choice), ("method", "POST"),
                            ("timeout", "8"),
                        ],
                        [.init("Say", text: offer)]),
                    .init("Redirect", [("method", "POST")], text: choice),
                ])
            }
            return await queue(asked: said, number: number)
        }

        /// The caller chose: 1 books the callback from the rep they asked for (the call ends); anything else, or
        /// nothing, queues them for the next person.
        private func choseCallback() async throws -> TwiML {
            let asked = call.query["asked"]
            let number = call.query["number"]
            guard call["Digits"] == "1", let rep = call.queryRep else {
                let queued = await queue(asked: asked, number: number)
                return TwiML([.init("Say", text: "Please hold for the next person.")] + queued.verbs)
            }
            await record(.arrived, "arrived", at: arrivedAt, requestedRep: asked, customerNumber: number)
            guard let contact = try await contact() else {
                return TwiML([
                    .init("Say", text: "We are sorry, something went wrong. Please call again."), .init("Hangup"),
                ])
            }
            let callback = try await Callbacks.book(
                CallbackRequest(
                    program: call.program.code, contactId: try contact.requireID(), repId: rep,
                    reason: "Asked for \(asked ?? "their rep") on the phone"),
                in: call.program, source: .ivr, by: nil, now: call.now, on: db)
            await record(.ended, "callback")
            let name = try await User.find(rep, on: db)?.displayName ?? "We"
            let when = TwilioCall.spoken(callback.dueStart, now: call.now, zone: call.program.zone)
            return TwiML([
                .init("Say", text: "Thank you. \(name) will call you back at this number \(when). Goodbye."),
                .init("Hangup"),
            ])
        }

        /// The caller heard an incident's message: 1 asks for a callback at the number they call from (recorded
        /// with the incident, for its campaign); anything else ends the call, which stays a missed contact.
        private func choseDuringIncident() async throws -> TwiML {
            await record(.arrived, "arrived", at: arrivedAt)
            var incident: Incident?
            if let id = call.query["incident"].flatMap(UUID.init(uuidString:)) {
                incident = try await Incident.find(id, on: db)
            }
            guard call["Digits"] == "1", let incident, let contact = try await contact() else {
                await record(.abandoned, "incident")
                return TwiML([.init("Say", text: "Thank you for calling. Goodbye."), .init("Hangup")])
            }
            do {
                // Twilio retried the request that booked it: book nothing more (a unique index holds the line).
                let booked = try await Callback.query(on: db).filter(\.$incidentID == incident.id)
                    .filter(\.$contactID == contact.id).first()
                if booked == nil {
                    _ = try await Callbacks.book(
                        CallbackRequest(
                            program: call.program.code, contactId: try contact.requireID(),
                            reason: "Asked to be called back during “\(incident.title)”"),
                        in: call.program, source: .ivr, incident: incident.id, by: nil, now: call.now, on: db)
                }
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // A retry racing the first: it is booked.
            } catch let failure as ValidationFailure {
                // A withheld or unusable caller id: nothing to call back.
                logger.info("No callback for a call during an incident: \(failure.fields)")
                await record(.abandoned, "incident")
                return TwiML([
                    .init(
                        "Say",
                        text: "We cannot see the number you are calling from, so we cannot call you back. "
                            + "Please call again later. Goodbye."),
                    .init("Hangup"),
                ])
            }
            await record(.ended, "callback")
            return TwiML([
                .init("Say", text: "Thank you. We will call you back at this number as soon as we can. Goodbye."),
                .init("Hangup"),
            ])
        }

        /// Records the arrival and the queueing, offers the contact, and puts the caller in the queue.
        private func queue(asked: String?, number: String?) async -> TwiML {
            await record(.arrived, "arrived", at: arrivedAt, requestedRep: asked, customerNumber: number)
            await record(.queued, "queued")
            await route()
            return TwiML([enqueue])
        }

        /// When the call came in (carried from `voice`), else now.
        private var arrivedAt: Date {
            guard let millis = call.query["arrived"].flatMap(Int64.init) else { return call.now }
            return min(Date(timeIntervalSince1970: Double(millis) / 1000), call.now)
        }

        /// The rep, when they are away or offline: whom to name, and when they are back ("is back tomorrow at 9 AM").
        private func away(_ user: User) async throws -> (id: String, name: String, when: String)? {
            guard let id = user.id else { return nil }
            let presence = try await PresenceRecord.query(on: db).filter(\.$user.$id == id).first()?.state
            guard presence == nil || presence == .away || presence == .offline else { return nil }
            let shift = try await RepPresence.shifts(of: id, in: call.program, on: db).current(orNextAfter: call.now)
            var when = "is not available just now"
            if let shift, shift.start > call.now {
                when = "is back " + TwilioCall.spoken(shift.start, now: call.now, zone: call.program.zone)
            }
            return (id.lowercaseText, user.displayName, when)
        }

        /// The rep of the one customer the caller is (by the customer number keyed, else their number): their
        /// preferred rep, else the rep who helped them last within the program's lookback, as routing would
        /// choose them. A grieving caller reaches the rep who helped them even without a name to ask for.
        private func theirRep(customerNumber: String?) async throws -> User? {
            let programID = try call.program.requireID()
            var customers: [UUID] = []
            if let customerNumber {
                customers = try await Customer.query(on: db).filter(\.$program.$id == programID)
                    .filter(\.$customerNumber == customerNumber).all(\.$id)
            }
            if customers.isEmpty, let from = call["From"],
                let e164 = try? PhoneNumber(parsing: from, defaultCountry: call.program.country).e164
            {
                customers = try await CustomerPhone.query(on: db).filter(\.$programID == programID)
                    .filter(\.$e164 == e164).all(\.$customer.$id)
            }
            guard Set(customers).count == 1, let customer = try await Customer.find(customers[0], on: db) else {
                return nil
            }
            var rep = customer.$preferredRep.id
            if rep == nil {
                let lookback = try await RoutingSettings.load(programID: programID, on: db).lookback
                rep = try await Contact.query(on: db).filter(\.$customer.$id == customers[0])
                    .filter(\.$rep.$id != nil).filter(\.$arrivedAt >= call.now.addingTimeInterval(-lookback))
                    .sort(\.$arrivedAt, .descending).first()?.$rep.id
            }
            guard let rep else { return nil }
            return try await User.activeMembers(of: programID, on: db).first { $0.id == rep }
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
                return await offerSurvey()
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
            guard let status, ["completed", "busy", "no-answer", "canceled", "failed"].contains(status) else {
                return TwiML([])
            }
            guard let contact = try await contact() else {
                // Hung up in the menu, before the contact was recorded: still an attempt that did not get through.
                let seconds = Double(call["CallDuration"] ?? "") ?? 0
                await record(.arrived, "arrived", at: call.at.addingTimeInterval(-seconds))
                await record(status == "failed" ? .failed : .abandoned, status)
                return TwiML([])
            }
            guard !contact.status.isOver else { return TwiML([]) }
            switch status {
            case "completed": await record(contact.answeredAt == nil ? .abandoned : .ended, "completed")
            case "failed": await record(.failed, "failed")
            default: await record(.abandoned, status)
            }
            return TwiML([])
        }

        /// The contact this call is (by its call SID), if it arrived.
        func contact() async throws -> Contact? {
            try await Contact.query(on: db).filter(\.$program.$id == call.program.requireID())
                .filter(\.$externalID == call.callSID).first()
        }

        /// Records one event of this call (or of `contact`, another call's SID); the event id is the call's SID and
        /// the step, so a retried request is a duplicate.
        private func record(
            _ type: ContactTimeline.EventType, _ step: String, contact: String? = nil, at: Date? = nil,
            requestedRep: String? = nil, customerNumber: String? = nil, repID: UUID? = nil
        ) async {
            do {
                let sid = try call.callSID
                let event = ContactEventRequest(
                    eventId: "twilio-\(sid)-\(step)", type: type, program: call.program.code,
                    externalContactId: contact ?? sid, channel: .voice, from: call["From"] ?? "withheld",
                    to: call["To"] ?? "", at: at ?? call.at, requestedRep: requestedRep, customerNumber: customerNumber,
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
