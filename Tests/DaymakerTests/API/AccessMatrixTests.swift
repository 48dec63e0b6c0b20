import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import Daymaker

/// Walks every route × role × program: records of another program answer 404 (never 403), roles are enforced,
/// admins see everything, and nobody gets in without signing in.
@Suite struct AccessMatrixTests {
    enum Who: String, CaseIterable { case anonymous, rep, supervisor, admin }
    enum Whose: String { case own, other, none }

    /// One request to make and the status each principal must get.
    struct Case {
        let whose: Whose
        let path: String
        var json: String? = nil
        var form: [String: String]? = nil
        var csv: String? = nil
        let expect: [Who: HTTPStatus]
    }

    struct Probe {
        let method: HTTPMethod
        let route: String
        let cases: [Case]
    }

    /// Statuses for a program-scoped record: visible to members and admins, 404 to everyone else.
    static func scoped(
        _ ok: HTTPStatus, anonymous: HTTPStatus = .unauthorized
    ) -> (own: [Who: HTTPStatus], other: [Who: HTTPStatus]) {
        (
            own: [.anonymous: anonymous, .rep: ok, .supervisor: ok, .admin: ok],
            other: [.anonymous: anonymous, .rep: .notFound, .supervisor: .notFound, .admin: ok]
        )
    }

    static func roles(
        rep: HTTPStatus, supervisor: HTTPStatus, admin: HTTPStatus, anonymous: HTTPStatus = .unauthorized
    ) -> [Who: HTTPStatus] {
        [.anonymous: anonymous, .rep: rep, .supervisor: supervisor, .admin: admin]
    }

    static func probes(_ w: World) -> [Probe] {
        let (ride, help) = (w.ride.id!, w.help.id!)
        let (rideCustomer, helpCustomer) = (w.rideCustomer.id!, w.helpCustomer.id!)
        let (rideContact, helpContact) = (w.rideContact.id!, w.helpContact.id!)
        // "{n}" in a body or form becomes a fresh number on every request, so creations never collide.
        func customerBody(_ program: String) -> String {
            #"{"program":"\#(program)","customerNumber":"M{n}","fullName":"Matrix Person"}"#
        }
        func contactBody(_ program: String) -> String {
            #"{"program":"\#(program)","channel":"voice","direction":"inbound","from":"+13125550111","to":"+13125550100"}"#
        }
        let page = (signedIn: HTTPStatus.seeOther, api: HTTPStatus.unauthorized)
        let cdr = CallRecordImportTests.row("3125550101", "BUSY", unique: "1.1", linked: "1.1", sequence: 0)
        func incident(_ program: String) -> String {
            #"{"programs":["\#(program)"],"title":"Down {n}","publicMessage":"Down.","ivrMessage":"Down."}"#
        }
        func campaign(_ program: String) -> String {
            #"{"program":"\#(program)","from":"2026-11-01T00:00:00Z","until":"2026-11-02T00:00:00Z"}"#
        }
        func campaignForm(_ program: String) -> [String: String] {
            [
                "program": program, "from": "2026-11-01T00:00", "until": "2026-11-02T00:00", "opens": "09:00",
                "closes": "20:00", "days[]": "1",
            ]
        }
        let skills = #"{"languages":["en"],"channels":["voice"],"nicknames":[]}"#
        func challengeForm(_ program: String) -> [String: String] {
            [
                "programs[]": program, "title": "C{n}", "prompt": "Make a day", "startsAt": "2026-11-18T00:00",
                "endsAt": "2026-11-30T00:00", "questions": "How did it feel?",
            ]
        }
        func challengeBody(_ program: String) -> String {
            #"{"programs":["\#(program)"],"title":"C{n}","prompt":"Make a day","startsAt":"2026-11-18T00:00:00Z","endsAt":"2026-11-30T00:00:00Z"}"#
        }
        let twilioBody =
            #"{"accountSid":"AC0123456789abcdef0123456789abcdef","authToken":"f00dfeedf00dfeedf00dfeedf00dfeed"}"#
        let smsBody = #"{"url":"https://sms.example.com/daymaker","secret":"whsec_0123456789abcdef"}"#
        // Twilio's webhooks take no session or token: without Twilio's signature everyone is refused.
        let unsigned = roles(rep: .forbidden, supervisor: .forbidden, admin: .forbidden, anonymous: .forbidden)
        return [
            Probe(
                method: .GET, route: "/healthz",
                cases: [
                    Case(
                        whose: .none, path: "/healthz",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: .ok))
                ]),
            Probe(
                method: .GET, route: "/css/:file",
                cases: [
                    Case(
                        whose: .none, path: "/css/daymaker.css",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: .ok))
                ]),
            Probe(
                method: .GET, route: "/js/:file",
                cases: [
                    Case(
                        whose: .none, path: "/js/daymaker.js",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: .ok))
                ]),
            Probe(
                method: .GET, route: "/api/v1/openapi.json",
                cases: [
                    Case(
                        whose: .none, path: "/api/v1/openapi.json",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: .ok))
                ]),
            Probe(
                method: .GET, route: "/api/v1/me",
                cases: [
                    Case(whose: .none, path: "/api/v1/me", expect: roles(rep: .ok, supervisor: .ok, admin: .ok))
                ]),
            Probe(
                method: .GET, route: "/api/v1/programs",
                cases: [
                    Case(whose: .none, path: "/api/v1/programs", expect: roles(rep: .ok, supervisor: .ok, admin: .ok))
                ]),
            Probe(
                method: .POST, route: "/api/v1/programs",
                cases: [
                    Case(
                        whose: .none, path: "/api/v1/programs",
                        json: #"{"code":"NEW{n}","name":"New","timeZone":"UTC","country":"US"}"#,
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .created))
                ]),
            Probe(
                method: .GET, route: "/api/v1/programs/:programID",
                cases: [
                    Case(whose: .own, path: "/api/v1/programs/\(ride)", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/programs/\(help)", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .PATCH, route: "/api/v1/programs/:programID",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)", json: #"{"name":"Ride Line"}"#,
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/programs/\(help)", json: #"{"name":"Help Desk"}"#,
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/users",
                cases: [
                    Case(
                        whose: .none, path: "/api/v1/users", expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)
                    )
                ]),
            Probe(
                method: .POST, route: "/api/v1/users",
                cases: [
                    Case(
                        whose: .none, path: "/api/v1/users",
                        json: #"{"email":"m{n}@test.example","fullName":"M","role":"rep","password":"long enough pw"}"#,
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .created))
                ]),
            Probe(
                method: .GET, route: "/api/v1/users/:userID",
                cases: [
                    Case(whose: .own, path: "/api/v1/users/\(w.rep.id)", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/users/\(w.helpRep.id)", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .PATCH, route: "/api/v1/users/:userID",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/users/\(w.rep.id)", json: #"{"displayName":"Rep"}"#,
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/users/\(w.helpRep.id)", json: #"{"displayName":"Helprep"}"#,
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/presence",
                cases: [
                    Case(whose: .own, path: "/api/v1/presence?program=RIDE", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/presence?program=HELP", expect: scoped(.ok).other),
                ]),
            // A rep sets their own presence; a supervisor a rep of their programs (away or offline).
            Probe(
                method: .PUT, route: "/api/v1/users/:userID/presence",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/users/\(w.rep.id)/presence", json: #"{"state":"away"}"#,
                        expect: scoped(.ok).own),
                    Case(
                        whose: .other, path: "/api/v1/users/\(w.helpRep.id)/presence", json: #"{"state":"away"}"#,
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/users/:userID/shifts",
                cases: [
                    Case(whose: .own, path: "/api/v1/users/\(w.rep.id)/shifts?program=RIDE", expect: scoped(.ok).own),
                    Case(
                        whose: .other, path: "/api/v1/users/\(w.helpRep.id)/shifts?program=HELP",
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .PUT, route: "/api/v1/users/:userID/shifts",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/users/\(w.rep.id)/shifts", json: #"{"program":"RIDE","shifts":[]}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/users/\(w.helpRep.id)/shifts",
                        json: #"{"program":"HELP","shifts":[]}"#, expect: scoped(.ok).other),
                ]),
            // Offers are the offered rep's alone: nobody else, not even an admin, sees or decides one.
            Probe(
                method: .GET, route: "/api/v1/offers",
                cases: [
                    Case(whose: .none, path: "/api/v1/offers", expect: roles(rep: .ok, supervisor: .ok, admin: .ok))
                ]),
            Probe(
                method: .POST, route: "/api/v1/contacts/:contactID/wellbeing",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/contacts/\(rideContact)/wellbeing", json: #"{"flag":"heated"}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/contacts/\(helpContact)/wellbeing", json: #"{"flag":"heated"}"#,
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/offers/:offerID/accept",
                cases: [
                    Case(
                        whose: .none, path: "/api/v1/offers/\(UUID())/accept",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound))
                ]),
            Probe(
                method: .POST, route: "/api/v1/offers/:offerID/decline",
                cases: [
                    Case(
                        whose: .none, path: "/api/v1/offers/\(UUID())/decline",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound))
                ]),
            Probe(
                method: .GET, route: "/api/v1/customers",
                cases: [
                    Case(whose: .own, path: "/api/v1/customers?program=RIDE", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/customers?program=HELP", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/customers",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/customers", json: customerBody("RIDE"), expect: scoped(.created).own
                    ),
                    Case(
                        whose: .other, path: "/api/v1/customers", json: customerBody("HELP"),
                        expect: scoped(.created).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/customers/:customerID",
                cases: [
                    Case(whose: .own, path: "/api/v1/customers/\(rideCustomer)", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/customers/\(helpCustomer)", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .PATCH, route: "/api/v1/customers/:customerID",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/customers/\(rideCustomer)", json: #"{"notes":"ok"}"#,
                        expect: scoped(.ok).own),
                    Case(
                        whose: .other, path: "/api/v1/customers/\(helpCustomer)", json: #"{"notes":"ok"}"#,
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/customers/:customerID/contacts",
                cases: [
                    Case(whose: .own, path: "/api/v1/customers/\(rideCustomer)/contacts", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/customers/\(helpCustomer)/contacts", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/contacts",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/contacts", json: contactBody("RIDE"), expect: scoped(.created).own),
                    Case(
                        whose: .other, path: "/api/v1/contacts", json: contactBody("HELP"),
                        expect: scoped(.created).other),
                ]),
            // Contact events come from telephony systems: only a token with the telephony scope reports them
            // (ContactEventTests shows it at work, and programs outside the token's user answering 404).
            Probe(
                method: .POST, route: "/api/v1/events",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/events",
                        json:
                            #"{"eventId":"m{n}","type":"arrived","program":"RIDE","externalContactId":"m{n}","channel":"voice","from":"+13125550111","to":"+13125550100","at":"2026-12-03T09:00:00Z"}"#,
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .forbidden))
                ]),
            Probe(
                method: .GET, route: "/api/v1/contacts/:contactID",
                cases: [
                    Case(whose: .own, path: "/api/v1/contacts/\(rideContact)", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/contacts/\(helpContact)", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .PATCH, route: "/api/v1/contacts/:contactID",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/contacts/\(rideContact)", json: #"{"summary":"ok"}"#,
                        expect: scoped(.ok).own),
                    Case(
                        whose: .other, path: "/api/v1/contacts/\(helpContact)", json: #"{"summary":"ok"}"#,
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/recognition",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/recognition?program=RIDE&phone=3125550142", expect: scoped(.ok).own),
                    Case(
                        whose: .other, path: "/api/v1/recognition?program=HELP&phone=02079460958",
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/programs/:programID/recognition-settings",
                cases: [
                    Case(whose: .own, path: "/api/v1/programs/\(ride)/recognition-settings", expect: scoped(.ok).own),
                    Case(
                        whose: .other, path: "/api/v1/programs/\(help)/recognition-settings", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .PUT, route: "/api/v1/programs/:programID/recognition-settings",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)/recognition-settings", json: #"{"windowDays":90}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/programs/\(help)/recognition-settings",
                        json: #"{"windowDays":90}"#,
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/programs/:programID/routing-settings",
                cases: [
                    Case(whose: .own, path: "/api/v1/programs/\(ride)/routing-settings", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/programs/\(help)/routing-settings", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .PUT, route: "/api/v1/programs/:programID/routing-settings",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)/routing-settings", json: #"{"wrapUpSeconds":30}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/programs/\(help)/routing-settings",
                        json: #"{"wrapUpSeconds":30}"#, expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/programs/:programID/vocabulary",
                cases: [
                    Case(whose: .own, path: "/api/v1/programs/\(ride)/vocabulary", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/programs/\(help)/vocabulary", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .PUT, route: "/api/v1/programs/:programID/vocabulary",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)/vocabulary",
                        json: #"{"extraMomentTags":["kind"]}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/programs/\(help)/vocabulary",
                        json: #"{"extraMomentTags":["kind"]}"#, expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/programs/:programID/survey-rules",
                cases: [
                    Case(whose: .own, path: "/api/v1/programs/\(ride)/survey-rules", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/programs/\(help)/survey-rules", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .PUT, route: "/api/v1/programs/:programID/survey-rules",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)/survey-rules", json: #"{"enabled":false}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/programs/\(help)/survey-rules", json: #"{"enabled":false}"#,
                        expect: scoped(.ok).other),
                ]),
            // Kudos: to a member of a program one sees; a wall is the rep's, their supervisors' and admins'.
            Probe(
                method: .POST, route: "/api/v1/kudos",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/kudos",
                        json: #"{"program":"RIDE","repId":"\#(w.rep.id.lowercaseText)","text":"Thank you"}"#,
                        expect: roles(rep: .unprocessableEntity, supervisor: .created, admin: .created)),
                    Case(
                        whose: .other, path: "/api/v1/kudos",
                        json: #"{"program":"HELP","repId":"\#(w.helpRep.id.lowercaseText)","text":"Thank you"}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .created)),
                ]),
            Probe(
                method: .GET, route: "/api/v1/reps/:userID/wall",
                cases: [
                    Case(whose: .own, path: "/api/v1/reps/\(w.rep.id)/wall", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/reps/\(w.helpRep.id)/wall", expect: scoped(.ok).other),
                ]),
            // Surveys: supervisors see their programs', reps those credited to them; one callback per alert.
            Probe(
                method: .GET, route: "/api/v1/surveys",
                cases: [
                    Case(whose: .none, path: "/api/v1/surveys", expect: roles(rep: .ok, supervisor: .ok, admin: .ok))
                ]
            ),
            Probe(
                method: .GET, route: "/api/v1/surveys/:surveyID",
                cases: [
                    Case(whose: .own, path: "/api/v1/surveys/\(Self.rideSurvey)", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/surveys/\(Self.helpSurvey)", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/surveys/:surveyID/callback",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/surveys/\(Self.rideSurvey)/callback", json: "{}",
                        expect: roles(rep: .forbidden, supervisor: .created, admin: .conflict)),
                    Case(
                        whose: .other, path: "/api/v1/surveys/\(Self.helpSurvey)/callback", json: "{}",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .created)),
                ]),
            // A program's Twilio account: admins only; saved first, then shown, then removed.
            Probe(
                method: .PUT, route: "/api/v1/programs/:programID/twilio",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)/twilio", json: twilioBody,
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/programs/\(help)/twilio", json: twilioBody,
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/programs/:programID/twilio",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)/twilio",
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .ok)),
                    Case(whose: .other, path: "/api/v1/programs/\(help)/twilio", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .DELETE, route: "/api/v1/programs/:programID/twilio",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)/twilio",
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .noContent)),
                    Case(whose: .other, path: "/api/v1/programs/\(help)/twilio", expect: scoped(.noContent).other),
                ]),
            // Insights: supervisors of the program and admins (a rep only their own, with rep).
            Probe(
                method: .GET, route: "/api/v1/programs/:programID/insights",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)/insights",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(whose: .other, path: "/api/v1/programs/\(help)/insights", expect: scoped(.ok).other),
                ]),
            // A program's SMS webhook: admins only; saved first, then shown, then removed.
            Probe(
                method: .PUT, route: "/api/v1/programs/:programID/sms-webhook",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)/sms-webhook", json: smsBody,
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/programs/\(help)/sms-webhook", json: smsBody,
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/programs/:programID/sms-webhook",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)/sms-webhook",
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .ok)),
                    Case(whose: .other, path: "/api/v1/programs/\(help)/sms-webhook", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .DELETE, route: "/api/v1/programs/:programID/sms-webhook",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)/sms-webhook",
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .noContent)),
                    Case(
                        whose: .other, path: "/api/v1/programs/\(help)/sms-webhook", expect: scoped(.noContent).other),
                ]),
            Probe(
                method: .POST, route: "/telephony/twilio/voice",
                cases: [
                    Case(
                        whose: .own, path: "/telephony/twilio/voice?program=RIDE", form: ["CallSid": "CA1"],
                        expect: unsigned)
                ]),
            Probe(
                method: .POST, route: "/telephony/twilio/gather",
                cases: [
                    Case(
                        whose: .own, path: "/telephony/twilio/gather?program=RIDE", form: ["CallSid": "CA1"],
                        expect: unsigned)
                ]),
            Probe(
                method: .POST, route: "/telephony/twilio/callback",
                cases: [
                    Case(
                        whose: .own, path: "/telephony/twilio/callback?program=RIDE", form: ["CallSid": "CA1"],
                        expect: unsigned)
                ]),
            Probe(
                method: .POST, route: "/telephony/twilio/incident",
                cases: [
                    Case(
                        whose: .own, path: "/telephony/twilio/incident?program=RIDE", form: ["CallSid": "CA1"],
                        expect: unsigned)
                ]),
            Probe(
                method: .POST, route: "/telephony/twilio/wait",
                cases: [
                    Case(
                        whose: .own, path: "/telephony/twilio/wait?program=RIDE", form: ["CallSid": "CA1"],
                        expect: unsigned)
                ]),
            Probe(
                method: .POST, route: "/telephony/twilio/enqueued",
                cases: [
                    Case(
                        whose: .own, path: "/telephony/twilio/enqueued?program=RIDE", form: ["CallSid": "CA1"],
                        expect: unsigned)
                ]),
            Probe(
                method: .POST, route: "/telephony/twilio/dialled",
                cases: [
                    Case(
                        whose: .own, path: "/telephony/twilio/dialled?program=RIDE", form: ["CallSid": "CA1"],
                        expect: unsigned)
                ]),
            Probe(
                method: .POST, route: "/telephony/twilio/survey",
                cases: [
                    Case(
                        whose: .own, path: "/telephony/twilio/survey?program=RIDE", form: ["CallSid": "CA1"],
                        expect: unsigned)
                ]),
            Probe(
                method: .POST, route: "/telephony/twilio/thanks",
                cases: [
                    Case(
                        whose: .own, path: "/telephony/twilio/thanks?program=RIDE", form: ["CallSid": "CA1"],
                        expect: unsigned)
                ]),
            Probe(
                method: .POST, route: "/telephony/twilio/status",
                cases: [
                    Case(
                        whose: .own, path: "/telephony/twilio/status?program=RIDE", form: ["CallSid": "CA1"],
                        expect: unsigned)
                ]),
            // The generic CTI takes its token in the path; a session or a bearer header alone does not do.
            Probe(
                method: .POST, route: "/telephony/generic-cti/:program/:token",
                cases: [
                    Case(
                        whose: .own, path: "/telephony/generic-cti/RIDE/dmk_not-a-token", form: ["event": "newCall"],
                        expect: roles(
                            rep: .unauthorized, supervisor: .unauthorized, admin: .unauthorized,
                            anonymous: .unauthorized))
                ]),
            Probe(
                method: .POST, route: "/api/v1/callbacks",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/callbacks",
                        json: #"{"program":"RIDE","customerId":"\#(rideCustomer)","number":"(312) 555-0142"}"#,
                        expect: scoped(.created).own),
                    Case(
                        whose: .other, path: "/api/v1/callbacks", json: #"{"program":"HELP","number":"020 7946 0958"}"#,
                        expect: scoped(.created).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/callbacks",
                cases: [
                    Case(whose: .own, path: "/api/v1/callbacks?program=RIDE", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/callbacks?program=HELP", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/callbacks/:callbackID/attempt",
                cases: [
                    Case(
                        whose: .none, path: "/api/v1/callbacks/\(UUID())/attempt", json: #"{"reached":false}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound))
                ]),
            Probe(
                method: .POST, route: "/api/v1/callbacks/:callbackID/cancel",
                cases: [
                    Case(
                        whose: .none, path: "/api/v1/callbacks/\(UUID())/cancel",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound))
                ]),
            // One callback: CallbackTests shows another program's answering 404.
            Probe(
                method: .GET, route: "/api/v1/callbacks/:callbackID",
                cases: [
                    Case(
                        whose: .none, path: "/api/v1/callbacks/\(UUID())",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound))
                ]),
            Probe(
                method: .POST, route: "/api/v1/bookings",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/bookings",
                        json: #"{"customerId":"\#(rideCustomer)","kind":"ride","startsAt":"2026-12-01T15:00:00Z"}"#,
                        expect: scoped(.created).own),
                    Case(
                        whose: .other, path: "/api/v1/bookings",
                        json: #"{"customerId":"\#(helpCustomer)","kind":"ride","startsAt":"2026-12-01T15:00:00Z"}"#,
                        expect: scoped(.created).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/bookings/import",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/bookings/import?program=RIDE",
                        csv: "customer_number,kind,starts_at\n100001,ride,2026-12-02 09:00\n",
                        expect: scoped(.ok).own),
                    Case(
                        whose: .other, path: "/api/v1/bookings/import?program=HELP",
                        csv: "customer_number,kind,starts_at\nNW-1,visit,2026-12-02 09:00\n",
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/bookings/:bookingID",
                cases: [
                    Case(whose: .own, path: "/api/v1/bookings/\(w.rideBooking.id!)", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/bookings/\(w.helpBooking.id!)", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .PATCH, route: "/api/v1/bookings/:bookingID",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/bookings/\(w.rideBooking.id!)", json: #"{"notes":"wheelchair"}"#,
                        expect: scoped(.ok).own),
                    Case(
                        whose: .other, path: "/api/v1/bookings/\(w.helpBooking.id!)", json: #"{"notes":"wheelchair"}"#,
                        expect: scoped(.ok).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/bookings/:bookingID/confirm",
                cases: [
                    Case(whose: .own, path: "/api/v1/bookings/\(w.rideBooking.id!)/confirm", expect: scoped(.ok).own),
                    Case(
                        whose: .other, path: "/api/v1/bookings/\(w.helpBooking.id!)/confirm", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/customers/:customerID/bookings",
                cases: [
                    Case(whose: .own, path: "/api/v1/customers/\(rideCustomer)/bookings", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/customers/\(helpCustomer)/bookings", expect: scoped(.ok).other),
                ]),
            // Care notes are for members only: an admin outside the program gets 404 like anyone else.
            Probe(
                method: .GET, route: "/api/v1/customers/:customerID/care-notes",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/customers/\(rideCustomer)/care-notes",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .notFound)),
                    Case(
                        whose: .other, path: "/api/v1/customers/\(helpCustomer)/care-notes",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound)),
                ]),
            Probe(
                method: .POST, route: "/api/v1/customers/:customerID/care-notes",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/customers/\(rideCustomer)/care-notes",
                        json: #"{"kind":"health","text":"Hard of hearing"}"#,
                        expect: roles(rep: .created, supervisor: .created, admin: .notFound)),
                    Case(
                        whose: .other, path: "/api/v1/customers/\(helpCustomer)/care-notes",
                        json: #"{"kind":"health","text":"Hard of hearing"}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound)),
                ]),
            Probe(
                method: .PATCH, route: "/api/v1/care-notes/:careNoteID",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/care-notes/\(w.rideCareNote.id!)",
                        json: #"{"guidance":"Be patient."}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .notFound)),
                    Case(
                        whose: .other, path: "/api/v1/care-notes/\(w.helpCareNote.id!)",
                        json: #"{"guidance":"Be patient."}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound)),
                ]),
            Probe(
                method: .POST, route: "/api/v1/care-notes/:careNoteID/retire",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/care-notes/\(w.rideCareNote.id!)/retire",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .notFound)),
                    Case(
                        whose: .other, path: "/api/v1/care-notes/\(w.helpCareNote.id!)/retire",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound)),
                ]),
            Probe(
                method: .GET, route: "/api/v1/incidents",
                cases: [
                    Case(whose: .none, path: "/api/v1/incidents", expect: roles(rep: .ok, supervisor: .ok, admin: .ok))
                ]),
            Probe(
                method: .POST, route: "/api/v1/incidents",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/incidents", json: incident("RIDE"),
                        expect: roles(rep: .forbidden, supervisor: .created, admin: .created)),
                    Case(
                        whose: .other, path: "/api/v1/incidents", json: incident("HELP"),
                        expect: roles(rep: .forbidden, supervisor: .notFound, admin: .created)),
                ]),
            Probe(
                method: .GET, route: "/api/v1/incidents/:incidentID",
                cases: [
                    Case(whose: .own, path: "/api/v1/incidents/\(Self.rideIncident)", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/incidents/\(Self.helpIncident)", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/incidents/:incidentID/updates",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/incidents/\(Self.rideIncident)/updates",
                        json: #"{"message":"Update {n}"}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/incidents/\(Self.helpIncident)/updates",
                        json: #"{"message":"Update {n}"}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok)),
                ]),
            // The supervisor resolves their program's incident first: the admin after them finds it resolved.
            Probe(
                method: .POST, route: "/api/v1/incidents/:incidentID/resolve",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/incidents/\(Self.rideIncident)/resolve",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .conflict)),
                    Case(
                        whose: .other, path: "/api/v1/incidents/\(Self.helpIncident)/resolve",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok)),
                ]),
            Probe(
                method: .GET, route: "/api/v1/ivr/announcement",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/ivr/announcement?program=RIDE",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/ivr/announcement?program=HELP",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok)),
                ]),
            Probe(
                method: .POST, route: "/api/v1/imports/cdr",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/imports/cdr?program=RIDE", csv: cdr,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/imports/cdr?program=HELP", csv: cdr,
                        expect: roles(rep: .forbidden, supervisor: .notFound, admin: .ok)),
                ]),
            // Campaigns: supervisors generate; members of the program see, claim and record.
            Probe(
                method: .GET, route: "/api/v1/campaigns",
                cases: [
                    Case(whose: .none, path: "/api/v1/campaigns", expect: roles(rep: .ok, supervisor: .ok, admin: .ok))
                ]),
            Probe(
                method: .POST, route: "/api/v1/campaigns",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/campaigns", json: campaign("RIDE"),
                        expect: roles(rep: .forbidden, supervisor: .created, admin: .created)),
                    Case(
                        whose: .other, path: "/api/v1/campaigns", json: campaign("HELP"),
                        expect: roles(rep: .forbidden, supervisor: .notFound, admin: .created)),
                ]),
            Probe(
                method: .GET, route: "/api/v1/campaigns/:campaignID",
                cases: [
                    Case(whose: .own, path: "/api/v1/campaigns/\(Self.rideCampaign)", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/campaigns/\(Self.helpCampaign)", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/campaigns/:campaignID/calls",
                cases: [
                    Case(whose: .own, path: "/api/v1/campaigns/\(Self.rideCampaign)/calls", expect: scoped(.ok).own),
                    Case(
                        whose: .other, path: "/api/v1/campaigns/\(Self.helpCampaign)/calls", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/campaigns/:campaignID/export",
                cases: [
                    Case(whose: .own, path: "/api/v1/campaigns/\(Self.rideCampaign)/export", expect: scoped(.ok).own),
                    Case(
                        whose: .other, path: "/api/v1/campaigns/\(Self.helpCampaign)/export",
                        expect: scoped(.ok).other),
                ]),
            // The rep claims RIDE's one call and the admin HELP's; the others find nothing left (200 all the same).
            Probe(
                method: .POST, route: "/api/v1/campaigns/:campaignID/claim",
                cases: [
                    Case(whose: .own, path: "/api/v1/campaigns/\(Self.rideCampaign)/claim", expect: scoped(.ok).own),
                    Case(
                        whose: .other, path: "/api/v1/campaigns/\(Self.helpCampaign)/claim", expect: scoped(.ok).other),
                ]),
            // Only the holder records: the rep RIDE's call, the admin HELP's; anyone else is told it is not theirs.
            Probe(
                method: .POST, route: "/api/v1/campaigns/:campaignID/calls/:callID/outcome",
                cases: [
                    Case(
                        whose: .own,
                        path: "/api/v1/campaigns/\(Self.rideCampaign)/calls/\(Self.rideCampaignCall)/outcome",
                        json: #"{"outcome":"busy"}"#, expect: roles(rep: .ok, supervisor: .conflict, admin: .conflict)),
                    Case(
                        whose: .other,
                        path: "/api/v1/campaigns/\(Self.helpCampaign)/calls/\(Self.helpCampaignCall)/outcome",
                        json: #"{"outcome":"busy"}"#, expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok)),
                ]),
            // Moments: members nominate and read; supervisors review (the admin after them finds it reviewed).
            Probe(
                method: .GET, route: "/api/v1/moments",
                cases: [
                    Case(whose: .own, path: "/api/v1/moments?program=RIDE", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/moments?program=HELP", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/moments",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/moments",
                        json:
                            #"{"program":"RIDE","contactId":"\#(rideContact.lowercaseText)","littleExtra":"Stayed {n}"}"#,
                        expect: scoped(.created).own),
                    Case(
                        whose: .other, path: "/api/v1/moments",
                        json:
                            #"{"program":"HELP","contactId":"\#(helpContact.lowercaseText)","littleExtra":"Stayed {n}"}"#,
                        expect: scoped(.created).other),
                ]),
            // The digest spans every program (others' moments redacted): for supervisors and admins.
            Probe(
                method: .GET, route: "/api/v1/moments/digest",
                cases: [
                    Case(
                        whose: .none, path: "/api/v1/moments/digest?week=2026-W47",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok))
                ]),
            Probe(
                method: .GET, route: "/api/v1/moments/:momentID",
                cases: [
                    Case(whose: .own, path: "/api/v1/moments/\(Self.rideMoment)", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/moments/\(Self.helpMoment)", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/moments/:momentID/feature",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/moments/\(Self.rideMoment)/feature", json: #"{"comment":"Yes"}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .conflict)),
                    Case(
                        whose: .other, path: "/api/v1/moments/\(Self.helpMoment)/feature", json: #"{"comment":"Yes"}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok)),
                ]),
            Probe(
                method: .POST, route: "/api/v1/moments/:momentID/decline",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/moments/\(Self.rideMomentToDecline)/decline",
                        json: #"{"reason":"Not this one"}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .conflict)),
                    Case(
                        whose: .other, path: "/api/v1/moments/\(Self.helpMomentToDecline)/decline",
                        json: #"{"reason":"Not this one"}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok)),
                ]),
            // Training collections: members read; supervisors build and order; the reps assigned discuss.
            Probe(
                method: .GET, route: "/api/v1/collections",
                cases: [
                    Case(whose: .own, path: "/api/v1/collections?program=RIDE", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/collections?program=HELP", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/collections",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/collections",
                        json: #"{"program":"RIDE","title":"T{n}","dueOn":"2026-11-30","wholeProgram":true}"#,
                        expect: roles(rep: .forbidden, supervisor: .created, admin: .created)),
                    Case(
                        whose: .other, path: "/api/v1/collections",
                        json: #"{"program":"HELP","title":"T{n}","dueOn":"2026-11-30","wholeProgram":true}"#,
                        expect: scoped(.created).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/collections/:collectionID",
                cases: [
                    Case(whose: .own, path: "/api/v1/collections/\(Self.rideCollection)", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/collections/\(Self.helpCollection)", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .PATCH, route: "/api/v1/collections/:collectionID",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/collections/\(Self.rideCollection)",
                        json: #"{"title":"Recognition"}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/collections/\(Self.helpCollection)",
                        json: #"{"title":"Recognition"}"#, expect: scoped(.ok).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/collections/:collectionID/items",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/collections/\(Self.rideCollection)/items",
                        json: #"{"momentId":"\#(Self.rideSpareMoment.lowercaseText)"}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .conflict)),
                    Case(
                        whose: .other, path: "/api/v1/collections/\(Self.helpCollection)/items",
                        json: #"{"momentId":"\#(Self.helpSpareMoment.lowercaseText)"}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok)),
                ]),
            Probe(
                method: .PUT, route: "/api/v1/collections/:collectionID/items",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/collections/\(Self.rideCollection)/items",
                        json: #"{"items":[{"momentId":"\#(Self.rideTaughtMoment.lowercaseText)"}]}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/collections/\(Self.helpCollection)/items",
                        json: #"{"items":[{"momentId":"\#(Self.helpTaughtMoment.lowercaseText)"}]}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok)),
                ]),
            Probe(
                method: .POST, route: "/api/v1/collections/:collectionID/discussions",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/collections/\(Self.rideCollection)/discussions",
                        json: #"{"momentId":"\#(Self.rideTaughtMoment.lowercaseText)","reflection":"Learned"}"#,
                        expect: roles(rep: .created, supervisor: .forbidden, admin: .forbidden)),
                    Case(
                        whose: .other, path: "/api/v1/collections/\(Self.helpCollection)/discussions",
                        json: #"{"momentId":"\#(Self.helpTaughtMoment.lowercaseText)","reflection":"Learned"}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .forbidden)),
                ]),
            // Challenges: supervisors run them in their programs; members tell stories; the story's rep reflects.
            Probe(
                method: .GET, route: "/api/v1/challenges",
                cases: [
                    Case(
                        whose: .none, path: "/api/v1/challenges", expect: roles(rep: .ok, supervisor: .ok, admin: .ok))
                ]),
            Probe(
                method: .POST, route: "/api/v1/challenges",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/challenges", json: challengeBody("RIDE"),
                        expect: roles(rep: .forbidden, supervisor: .created, admin: .created)),
                    Case(
                        whose: .other, path: "/api/v1/challenges", json: challengeBody("HELP"),
                        expect: scoped(.created).other),
                ]),
            Probe(
                method: .GET, route: "/api/v1/challenges/:challengeID",
                cases: [
                    Case(whose: .own, path: "/api/v1/challenges/\(Self.rideChallenge)", expect: scoped(.ok).own),
                    Case(whose: .other, path: "/api/v1/challenges/\(Self.helpChallenge)", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/challenges/:challengeID/stories",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/challenges/\(Self.rideChallenge)/stories",
                        json: #"{"text":"Made a day {n}"}"#, expect: scoped(.created).own),
                    Case(
                        whose: .other, path: "/api/v1/challenges/\(Self.helpChallenge)/stories",
                        json: #"{"text":"Made a day {n}"}"#, expect: scoped(.created).other),
                ]),
            Probe(
                method: .POST, route: "/api/v1/challenges/:challengeID/close",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/challenges/\(Self.rideChallengeToClose)/close",
                        json: #"{"summary":"Shorter waits"}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .conflict)),
                    Case(
                        whose: .other, path: "/api/v1/challenges/\(Self.helpChallengeToClose)/close",
                        json: #"{"summary":"Shorter waits"}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok)),
                ]),
            Probe(
                method: .POST, route: "/api/v1/stories/:storyID/answer",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/stories/\(Self.rideStory)/answer", json: #"{"text":"Thank you"}"#,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/stories/\(Self.helpStory)/answer", json: #"{"text":"Thank you"}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok)),
                ]),
            Probe(
                method: .POST, route: "/api/v1/stories/:storyID/reflections",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/stories/\(Self.rideStory)/reflections",
                        json: #"{"text":"It felt good"}"#,
                        expect: roles(rep: .ok, supervisor: .forbidden, admin: .forbidden)),
                    Case(
                        whose: .other, path: "/api/v1/stories/\(Self.helpStory)/reflections",
                        json: #"{"text":"It felt good"}"#,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .forbidden)),
                ]),
            Probe(
                method: .POST, route: "/api/v1/stories/:storyID/nominate",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/stories/\(Self.rideStoryToNominate)/nominate",
                        expect: roles(rep: .created, supervisor: .conflict, admin: .conflict)),
                    Case(
                        whose: .other, path: "/api/v1/stories/\(Self.helpStoryToNominate)/nominate",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .created)),
                ]),
            // Campaign pages: everyone in the program takes calls; supervisors generate.
            Probe(
                method: .GET, route: "/campaigns",
                cases: [
                    Case(
                        whose: .none, path: "/campaigns",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/campaigns",
                cases: [
                    Case(
                        whose: .own, path: "/campaigns", form: campaignForm("RIDE"),
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/campaigns", form: campaignForm("HELP"),
                        expect: roles(
                            rep: .forbidden, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .GET, route: "/campaigns/:campaignID",
                cases: [
                    Case(
                        whose: .own, path: "/campaigns/\(Self.ridePageCampaign)",
                        expect: scoped(.ok, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/campaigns/\(Self.helpPageCampaign)",
                        expect: scoped(.ok, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .GET, route: "/campaigns/:campaignID/export.csv",
                cases: [
                    Case(
                        whose: .own, path: "/campaigns/\(Self.ridePageCampaign)/export.csv",
                        expect: scoped(.ok, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/campaigns/\(Self.helpPageCampaign)/export.csv",
                        expect: scoped(.ok, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .GET, route: "/campaigns/:campaignID/live",
                cases: [
                    Case(
                        whose: .own, path: "/campaigns/\(Self.ridePageCampaign)/live",
                        expect: scoped(.switchingProtocols, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/campaigns/\(Self.helpPageCampaign)/live",
                        expect: scoped(.switchingProtocols, anonymous: page.signedIn).other),
                ]),
            // The rep takes RIDE's call and the admin HELP's (the others are sent back: nothing is due).
            Probe(
                method: .POST, route: "/campaigns/:campaignID/claim",
                cases: [
                    Case(
                        whose: .own, path: "/campaigns/\(Self.ridePageCampaign)/claim", form: [:],
                        expect: scoped(.seeOther, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/campaigns/\(Self.helpPageCampaign)/claim", form: [:],
                        expect: scoped(.seeOther, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .GET, route: "/campaigns/:campaignID/call",
                cases: [
                    Case(
                        whose: .own, path: "/campaigns/\(Self.ridePageCampaign)/call",
                        expect: roles(rep: .ok, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/campaigns/\(Self.helpPageCampaign)/call",
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .ok, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .POST, route: "/campaigns/:campaignID/calls/:callID/outcome",
                cases: [
                    Case(
                        whose: .own,
                        path: "/campaigns/\(Self.ridePageCampaign)/calls/\(Self.ridePageCampaignCall)/outcome",
                        form: ["outcome": "busy"], expect: scoped(.seeOther, anonymous: page.signedIn).own),
                    Case(
                        whose: .other,
                        path: "/campaigns/\(Self.helpPageCampaign)/calls/\(Self.helpPageCampaignCall)/outcome",
                        form: ["outcome": "busy"], expect: scoped(.seeOther, anonymous: page.signedIn).other),
                ]),
            // Incident pages: supervisors of the incident's programs.
            Probe(
                method: .GET, route: "/incidents",
                cases: [
                    Case(
                        whose: .none, path: "/incidents",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/incidents",
                cases: [
                    Case(
                        whose: .own, path: "/incidents",
                        form: [
                            "programs[]": "RIDE", "channels[]": "voice", "title": "Down {n}", "publicMessage": "Down.",
                            "ivrMessage": "Down.",
                        ],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/incidents",
                        form: [
                            "programs[]": "HELP", "channels[]": "voice", "title": "Down {n}", "publicMessage": "Down.",
                            "ivrMessage": "Down.",
                        ],
                        expect: roles(
                            rep: .forbidden, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .GET, route: "/incidents/:incidentID",
                cases: [
                    Case(
                        whose: .own, path: "/incidents/\(Self.ridePageIncident)",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/incidents/\(Self.helpPageIncident)",
                        expect: roles(rep: .forbidden, supervisor: .notFound, admin: .ok, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .POST, route: "/incidents/:incidentID/updates",
                cases: [
                    Case(
                        whose: .own, path: "/incidents/\(Self.ridePageIncident)/updates",
                        form: ["message": "Page update {n}"],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/incidents/\(Self.helpPageIncident)/updates",
                        form: ["message": "Page update {n}"],
                        expect: roles(
                            rep: .forbidden, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            // The supervisor resolves their program's incident first: the admin after them finds it resolved.
            Probe(
                method: .POST, route: "/incidents/:incidentID/resolve",
                cases: [
                    Case(
                        whose: .own, path: "/incidents/\(Self.ridePageIncident)/resolve", form: [:],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .conflict, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/incidents/\(Self.helpPageIncident)/resolve", form: [:],
                        expect: roles(
                            rep: .forbidden, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            // Moment pages: members nominate and read; supervisors review and read the digest.
            Probe(
                method: .GET, route: "/moments",
                cases: [
                    Case(
                        whose: .none, path: "/moments",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .GET, route: "/moments/new",
                cases: [
                    Case(
                        whose: .own, path: "/moments/new?contact=\(rideContact.lowercaseText)",
                        expect: scoped(.ok, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/moments/new?contact=\(helpContact.lowercaseText)",
                        expect: scoped(.ok, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .POST, route: "/moments",
                cases: [
                    Case(
                        whose: .own, path: "/moments",
                        form: ["contact": rideContact.lowercaseText, "littleExtra": "Stayed {n}"],
                        expect: scoped(.seeOther, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/moments",
                        form: ["contact": helpContact.lowercaseText, "littleExtra": "Stayed {n}"],
                        expect: scoped(.seeOther, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .GET, route: "/moments/digest",
                cases: [
                    Case(
                        whose: .none, path: "/moments/digest",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .GET, route: "/moments/digest.html",
                cases: [
                    Case(
                        whose: .none, path: "/moments/digest.html?week=2026-W47",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .GET, route: "/moments/:momentID",
                cases: [
                    Case(
                        whose: .own, path: "/moments/\(Self.ridePageMoment)",
                        expect: scoped(.ok, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/moments/\(Self.helpPageMoment)",
                        expect: scoped(.ok, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .POST, route: "/moments/:momentID/feature",
                cases: [
                    Case(
                        whose: .own, path: "/moments/\(Self.ridePageMoment)/feature", form: ["comment": "Yes"],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .conflict, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/moments/\(Self.helpPageMoment)/feature", form: ["comment": "Yes"],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .POST, route: "/moments/:momentID/decline",
                cases: [
                    Case(
                        whose: .own, path: "/moments/\(Self.ridePageMomentToDecline)/decline", form: ["reason": "No"],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .conflict, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/moments/\(Self.helpPageMomentToDecline)/decline",
                        form: ["reason": "No"],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            // Training pages: the same rules as the API.
            Probe(
                method: .GET, route: "/collections",
                cases: [
                    Case(
                        whose: .none, path: "/collections",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .GET, route: "/collections/new",
                cases: [
                    Case(
                        whose: .none, path: "/collections/new",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/collections",
                cases: [
                    Case(
                        whose: .own, path: "/collections",
                        form: ["program": "RIDE", "title": "T{n}", "dueOn": "2026-11-30", "wholeProgram": "on"],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/collections",
                        form: ["program": "HELP", "title": "T{n}", "dueOn": "2026-11-30", "wholeProgram": "on"],
                        expect: scoped(.seeOther, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .POST, route: "/collections/items",
                cases: [
                    Case(
                        whose: .own, path: "/collections/items",
                        form: [
                            "collection": Self.ridePageCollection.lowercaseText,
                            "moment": Self.rideSpareMoment.lowercaseText,
                        ],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .conflict, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/collections/items",
                        form: [
                            "collection": Self.helpPageCollection.lowercaseText,
                            "moment": Self.helpSpareMoment.lowercaseText,
                        ],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .GET, route: "/collections/:collectionID",
                cases: [
                    Case(
                        whose: .own, path: "/collections/\(Self.ridePageCollection)",
                        expect: scoped(.ok, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/collections/\(Self.helpPageCollection)",
                        expect: scoped(.ok, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .POST, route: "/collections/:collectionID/items/:momentID/move",
                cases: [
                    Case(
                        whose: .own,
                        path: "/collections/\(Self.ridePageCollection)/items/\(Self.rideTaughtMoment)/move",
                        form: ["move": "down"],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other,
                        path: "/collections/\(Self.helpPageCollection)/items/\(Self.helpTaughtMoment)/move",
                        form: ["move": "down"],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .POST, route: "/collections/:collectionID/discussions",
                cases: [
                    Case(
                        whose: .own, path: "/collections/\(Self.ridePageCollection)/discussions",
                        form: ["moment": Self.rideTaughtMoment.lowercaseText, "reflection": "Learned"],
                        expect: roles(
                            rep: .seeOther, supervisor: .forbidden, admin: .forbidden, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/collections/\(Self.helpPageCollection)/discussions",
                        form: ["moment": Self.helpTaughtMoment.lowercaseText, "reflection": "Learned"],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .forbidden, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .GET, route: "/collections/:collectionID/edit",
                cases: [
                    Case(
                        whose: .own, path: "/collections/\(Self.ridePageCollection)/edit",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/collections/\(Self.helpPageCollection)/edit",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .POST, route: "/collections/:collectionID",
                cases: [
                    Case(
                        whose: .own, path: "/collections/\(Self.ridePageCollection)",
                        form: [
                            "title": "Recognition", "dueOn": "2026-11-30", "reps[]": w.rep.id.lowercaseText,
                        ],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/collections/\(Self.helpPageCollection)",
                        form: [
                            "title": "Recognition", "dueOn": "2026-11-30", "reps[]": w.helpRep.id.lowercaseText,
                        ],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            // Challenge pages: the same rules as the API.
            Probe(
                method: .GET, route: "/challenges",
                cases: [
                    Case(
                        whose: .none, path: "/challenges",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .GET, route: "/challenges/new",
                cases: [
                    Case(
                        whose: .none, path: "/challenges/new",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/challenges",
                cases: [
                    Case(
                        whose: .own, path: "/challenges", form: challengeForm("RIDE"),
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/challenges", form: challengeForm("HELP"),
                        expect: scoped(.seeOther, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .GET, route: "/challenges/:challengeID",
                cases: [
                    Case(
                        whose: .own, path: "/challenges/\(Self.ridePageChallenge)",
                        expect: scoped(.ok, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/challenges/\(Self.helpPageChallenge)",
                        expect: scoped(.ok, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .POST, route: "/challenges/:challengeID/stories",
                cases: [
                    Case(
                        whose: .own, path: "/challenges/\(Self.ridePageChallenge)/stories",
                        form: ["text": "Made a day {n}"], expect: scoped(.seeOther, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/challenges/\(Self.helpPageChallenge)/stories",
                        form: ["text": "Made a day {n}"], expect: scoped(.seeOther, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .POST, route: "/challenges/:challengeID/close",
                cases: [
                    Case(
                        whose: .own, path: "/challenges/\(Self.ridePageChallengeToClose)/close",
                        form: ["summary": "Shorter waits"],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .conflict, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/challenges/\(Self.helpPageChallengeToClose)/close",
                        form: ["summary": "Shorter waits"],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .POST, route: "/stories/:storyID/answer",
                cases: [
                    Case(
                        whose: .own, path: "/stories/\(Self.ridePageStory)/answer", form: ["text": "Thank you"],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/stories/\(Self.helpPageStory)/answer", form: ["text": "Thank you"],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .POST, route: "/stories/:storyID/reflections",
                cases: [
                    Case(
                        whose: .own, path: "/stories/\(Self.ridePageStory)/reflections", form: ["text": "Good"],
                        expect: roles(
                            rep: .seeOther, supervisor: .forbidden, admin: .forbidden, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/stories/\(Self.helpPageStory)/reflections", form: ["text": "Good"],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .forbidden, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .POST, route: "/stories/:storyID/nominate",
                cases: [
                    Case(
                        whose: .own, path: "/stories/\(Self.ridePageStoryToNominate)/nominate", form: [:],
                        expect: roles(
                            rep: .seeOther, supervisor: .conflict, admin: .conflict, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/stories/\(Self.helpPageStoryToNominate)/nominate", form: [:],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            // The public status page: everyone, signed in or not.
            Probe(
                method: .GET, route: "/status",
                cases: [
                    Case(
                        whose: .none, path: "/status",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: .ok))
                ]),
            Probe(
                method: .GET, route: "/status.json",
                cases: [
                    Case(
                        whose: .none, path: "/status.json",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: .ok))
                ]),
            Probe(
                method: .GET, route: "/status.atom",
                cases: [
                    Case(
                        whose: .none, path: "/status.atom",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: .ok))
                ]),
            // Pages: a missing session redirects to the sign-in form.
            // The public survey: the link is the only key; one that is not ours is not found, whoever asks.
            Probe(
                method: .GET, route: "/s/:token",
                cases: [
                    Case(
                        whose: .none, path: "/s/not-a-survey-link",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound, anonymous: .notFound))
                ]),
            Probe(
                method: .POST, route: "/s/:token",
                cases: [
                    Case(
                        whose: .none, path: "/s/not-a-survey-link", form: ["score": "5"],
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound, anonymous: .notFound))
                ]),
            Probe(
                method: .GET, route: "/sign-in",
                cases: [
                    Case(
                        whose: .none, path: "/sign-in",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: .ok))
                ]),
            Probe(
                method: .POST, route: "/sign-in",
                cases: [
                    Case(
                        whose: .none, path: "/sign-in",
                        form: ["email": "nobody@test.example", "password": "wrong password"],
                        expect: roles(
                            rep: .unauthorized, supervisor: .unauthorized, admin: .unauthorized,
                            anonymous: .unauthorized))
                ]),
            Probe(
                method: .GET, route: "/",
                cases: [
                    Case(
                        whose: .none, path: "/",
                        expect: roles(rep: .seeOther, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)
                    )
                ]),
            Probe(
                method: .GET, route: "/customers",
                cases: [
                    Case(
                        whose: .none, path: "/customers?q=miller",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .GET, route: "/customers/:customerID",
                cases: [
                    Case(
                        whose: .own, path: "/customers/\(rideCustomer)",
                        expect: scoped(.ok, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/customers/\(helpCustomer)",
                        expect: scoped(.ok, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .GET, route: "/desk",
                cases: [
                    Case(
                        whose: .none, path: "/desk?q=3125550142",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: page.signedIn))
                ]),
            // Skills: whoever sees the user reads them (another program's user is not found); supervisors change.
            Probe(
                method: .GET, route: "/api/v1/users/:userID/skills",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/users/\(w.rep.id)/skills",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/users/\(w.helpRep.id)/skills",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok)),
                ]),
            Probe(
                method: .PUT, route: "/api/v1/users/:userID/skills",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/users/\(w.rep.id)/skills", json: skills,
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(
                        whose: .other, path: "/api/v1/users/\(w.helpRep.id)/skills", json: skills,
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok)),
                ]),
            Probe(
                method: .GET, route: "/api/v1/programs/:programID/board",
                cases: [
                    Case(
                        whose: .own, path: "/api/v1/programs/\(ride)/board",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok)),
                    Case(whose: .other, path: "/api/v1/programs/\(help)/board", expect: scoped(.ok).other),
                ]),
            Probe(
                method: .GET, route: "/supervisor",
                cases: [
                    Case(
                        whose: .none, path: "/supervisor",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/supervisor/surveys/:surveyID/callback",
                cases: [
                    Case(
                        whose: .own, path: "/supervisor/surveys/\(Self.ridePageSurvey)/callback", form: [:],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .conflict, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/supervisor/surveys/\(Self.helpPageSurvey)/callback", form: [:],
                        expect: roles(
                            rep: .forbidden, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .GET, route: "/supervisor/live",
                cases: [
                    Case(
                        whose: .none, path: "/supervisor/live",
                        expect: roles(
                            rep: .forbidden, supervisor: .switchingProtocols, admin: .switchingProtocols,
                            anonymous: page.signedIn))
                ]),
            // The live desk: signed-in users only (DeskLiveTests opens it over a real WebSocket, and shows a page of
            // another site refused). A plain GET without the upgrade headers is not a WebSocket: 101 is Vapor's
            // answer to a signed-in user, which the in-memory tester records without upgrading.
            Probe(
                method: .GET, route: "/desk/live",
                cases: [
                    Case(
                        whose: .none, path: "/desk/live",
                        expect: roles(
                            rep: .switchingProtocols, supervisor: .switchingProtocols, admin: .switchingProtocols,
                            anonymous: page.signedIn))
                ]),
            Probe(
                method: .GET, route: "/desk/customers/:customerID",
                cases: [
                    Case(
                        whose: .own, path: "/desk/customers/\(rideCustomer)",
                        expect: scoped(.ok, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/desk/customers/\(helpCustomer)",
                        expect: scoped(.ok, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .POST, route: "/desk/customers",
                cases: [
                    Case(
                        whose: .own, path: "/desk/customers", form: ["program": "RIDE", "fullName": "New Caller"],
                        expect: scoped(.seeOther, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/desk/customers", form: ["program": "HELP", "fullName": "New Caller"],
                        expect: scoped(.seeOther, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .POST, route: "/desk/customers/:customerID/note",
                cases: [
                    Case(
                        whose: .own, path: "/desk/customers/\(rideCustomer)/note", form: ["note": "Likes the Cubs"],
                        expect: scoped(.seeOther, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/desk/customers/\(helpCustomer)/note", form: ["note": "Likes the Cubs"],
                        expect: scoped(.seeOther, anonymous: page.signedIn).other),
                ]),
            // Presence on the desk is the signed-in user's own; an offer is only ever the offered rep's.
            Probe(
                method: .POST, route: "/desk/presence",
                cases: [
                    Case(
                        whose: .none, path: "/desk/presence", form: ["state": "away"],
                        expect: roles(
                            rep: .seeOther, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/desk/callbacks",
                cases: [
                    Case(
                        whose: .own, path: "/desk/callbacks",
                        form: ["program": "RIDE", "contactId": "\(rideContact)", "repId": "\(w.rep.id)"],
                        expect: scoped(.seeOther, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/desk/callbacks",
                        form: ["program": "HELP", "contactId": "\(helpContact)", "repId": "\(w.helpRep.id)"],
                        expect: scoped(.seeOther, anonymous: page.signedIn).other),
                ]),
            // Only the rep who has a contact hands it over (TransferTests); this one is nobody's here.
            Probe(
                method: .POST, route: "/desk/contacts/:contactID/transfer",
                cases: [
                    Case(
                        whose: .own, path: "/desk/contacts/\(rideContact)/transfer", form: ["repId": "\(w.rep.id)"],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .notFound, anonymous: page.signedIn))
                ]),
            // A message about a contact of the program, to a member of it (RepMessageTests leaves and reads one).
            Probe(
                method: .POST, route: "/desk/messages",
                cases: [
                    Case(
                        whose: .own, path: "/desk/messages",
                        form: ["contactId": "\(rideContact)", "repId": "\(w.rep.id)", "text": "Call John back"],
                        expect: scoped(.seeOther, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/desk/messages",
                        form: ["contactId": "\(helpContact)", "repId": "\(w.helpRep.id)", "text": "Call back"],
                        expect: scoped(.seeOther, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .POST, route: "/desk/messages/:messageID/read",
                cases: [
                    Case(
                        whose: .none, path: "/desk/messages/\(UUID())/read", form: [:],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .notFound, anonymous: page.signedIn))
                ]),
            Probe(
                method: .GET, route: "/reps/:userID",
                cases: [
                    Case(
                        whose: .own, path: "/reps/\(w.rep.id)",
                        expect: scoped(.ok, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/reps/\(w.helpRep.id)",
                        expect: scoped(.ok, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .POST, route: "/kudos",
                cases: [
                    Case(
                        whose: .own, path: "/kudos", form: ["rep": w.rep.id.lowercaseText, "text": "Thank you"],
                        expect: roles(
                            rep: .unprocessableEntity, supervisor: .seeOther, admin: .seeOther,
                            anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/kudos", form: ["rep": w.helpRep.id.lowercaseText, "text": "Thank you"],
                        expect: roles(
                            rep: .unprocessableEntity, supervisor: .unprocessableEntity, admin: .seeOther,
                            anonymous: page.signedIn)),
                ]),
            Probe(
                method: .POST, route: "/desk/kudos/:kudosID/read",
                cases: [
                    Case(
                        whose: .own, path: "/desk/kudos/\(Self.rideKudos)/read", form: [:],
                        expect: roles(
                            rep: .seeOther, supervisor: .notFound, admin: .notFound, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/desk/kudos/\(Self.helpKudos)/read", form: [:],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .notFound, anonymous: page.signedIn)),
                ]),
            // Sharing a hard contact is only ever its own rep's, once flagged; this contact is neither.
            Probe(
                method: .POST, route: "/desk/contacts/:contactID/hard-story",
                cases: [
                    Case(
                        whose: .own, path: "/desk/contacts/\(rideContact)/hard-story", form: [:],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .notFound, anonymous: page.signedIn))
                ]),
            // A wrap-up is only ever the contact's own rep's (WrapUpTests shows it saved); this contact has none here.
            Probe(
                method: .POST, route: "/desk/contacts/:contactID/wrap-up",
                cases: [
                    Case(
                        whose: .own, path: "/desk/contacts/\(rideContact)/wrap-up", form: ["resolution": "resolved"],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .notFound, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/desk/offers/:offerID/accept",
                cases: [
                    Case(
                        whose: .none, path: "/desk/offers/\(UUID())/accept", form: [:],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .notFound, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/desk/offers/:offerID/decline",
                cases: [
                    Case(
                        whose: .none, path: "/desk/offers/\(UUID())/decline", form: [:],
                        expect: roles(
                            rep: .notFound, supervisor: .notFound, admin: .notFound, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/desk/bookings/:bookingID/confirm",
                cases: [
                    Case(
                        whose: .own, path: "/desk/bookings/\(w.rideBooking.id!)/confirm", form: [:],
                        expect: scoped(.seeOther, anonymous: page.signedIn).own),
                    Case(
                        whose: .other, path: "/desk/bookings/\(w.helpBooking.id!)/confirm", form: [:],
                        expect: scoped(.seeOther, anonymous: page.signedIn).other),
                ]),
            Probe(
                method: .POST, route: "/customers/:customerID/care-notes",
                cases: [
                    Case(
                        whose: .own, path: "/customers/\(rideCustomer)/care-notes",
                        form: ["kind": "health", "text": "Hard of hearing"],
                        expect: roles(rep: .seeOther, supervisor: .seeOther, admin: .notFound, anonymous: page.signedIn)
                    ),
                    Case(
                        whose: .other, path: "/customers/\(helpCustomer)/care-notes",
                        form: ["kind": "health", "text": "Hard of hearing"],
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound, anonymous: page.signedIn)
                    ),
                ]),
            Probe(
                method: .POST, route: "/customers/:customerID/do-not-contact",
                cases: [
                    Case(
                        whose: .own, path: "/customers/\(rideCustomer)/do-not-contact", form: ["doNotContact": "false"],
                        expect: roles(rep: .seeOther, supervisor: .seeOther, admin: .notFound, anonymous: page.signedIn)
                    ),
                    Case(
                        whose: .other, path: "/customers/\(helpCustomer)/do-not-contact",
                        form: ["doNotContact": "false"],
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound, anonymous: page.signedIn)
                    ),
                ]),
            Probe(
                method: .POST, route: "/care-notes/:careNoteID/retire",
                cases: [
                    Case(
                        whose: .own, path: "/care-notes/\(w.rideCareNote.id!)/retire", form: [:],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .notFound, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/care-notes/\(w.helpCareNote.id!)/retire", form: [:],
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .notFound, anonymous: page.signedIn)
                    ),
                ]),
            Probe(
                method: .GET, route: "/settings/recognition",
                cases: [
                    Case(
                        whose: .own, path: "/settings/recognition?program=RIDE",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/settings/recognition?program=HELP",
                        expect: roles(rep: .forbidden, supervisor: .notFound, admin: .ok, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .POST, route: "/settings/recognition",
                cases: [
                    Case(
                        whose: .own, path: "/settings/recognition", form: ["program": "RIDE", "windowDays": "90"],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/settings/recognition", form: ["program": "HELP", "windowDays": "90"],
                        expect: roles(
                            rep: .forbidden, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            // Insights: a rep sees their own; supervisors and admins their programs' (any rep).
            Probe(
                method: .GET, route: "/insights",
                cases: [
                    Case(
                        whose: .own, path: "/insights?program=RIDE",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/insights?program=HELP",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .GET, route: "/insights/:table",
                cases: [
                    Case(
                        whose: .own, path: "/insights/days.csv?program=RIDE",
                        expect: roles(rep: .ok, supervisor: .ok, admin: .ok, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/insights/days.csv?program=HELP",
                        expect: roles(rep: .notFound, supervisor: .notFound, admin: .ok, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .GET, route: "/settings/surveys",
                cases: [
                    Case(
                        whose: .own, path: "/settings/surveys?program=RIDE",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/settings/surveys?program=HELP",
                        expect: roles(rep: .forbidden, supervisor: .notFound, admin: .ok, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .POST, route: "/settings/surveys",
                cases: [
                    Case(
                        whose: .own, path: "/settings/surveys", form: ["program": "RIDE", "channels[]": "voice"],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/settings/surveys", form: ["program": "HELP", "channels[]": "voice"],
                        expect: roles(
                            rep: .forbidden, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .GET, route: "/settings/vocabulary",
                cases: [
                    Case(
                        whose: .own, path: "/settings/vocabulary?program=RIDE",
                        expect: roles(rep: .forbidden, supervisor: .ok, admin: .ok, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/settings/vocabulary?program=HELP",
                        expect: roles(rep: .forbidden, supervisor: .notFound, admin: .ok, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .POST, route: "/settings/vocabulary",
                cases: [
                    Case(
                        whose: .own, path: "/settings/vocabulary",
                        form: ["program": "RIDE", "extraRootCauses": "fares"],
                        expect: roles(
                            rep: .forbidden, supervisor: .seeOther, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/settings/vocabulary",
                        form: ["program": "HELP", "extraRootCauses": "fares"],
                        expect: roles(
                            rep: .forbidden, supervisor: .notFound, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .GET, route: "/admin/programs",
                cases: [
                    Case(
                        whose: .none, path: "/admin/programs",
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/admin/programs",
                cases: [
                    Case(
                        whose: .none, path: "/admin/programs",
                        form: ["code": "PG{n}", "name": "Page", "timeZone": "UTC", "country": "GB"],
                        expect: roles(
                            rep: .forbidden, supervisor: .forbidden, admin: .seeOther, anonymous: page.signedIn))
                ]),
            Probe(
                method: .GET, route: "/admin/users",
                cases: [
                    Case(
                        whose: .none, path: "/admin/users",
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/admin/users",
                cases: [
                    Case(
                        whose: .none, path: "/admin/users",
                        form: [
                            "email": "p{n}@test.example", "fullName": "P", "role": "rep", "password": "long enough pw",
                        ],
                        expect: roles(
                            rep: .forbidden, supervisor: .forbidden, admin: .seeOther, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/admin/users/:userID",
                cases: [
                    Case(
                        whose: .own, path: "/admin/users/\(w.rep.id)",
                        form: ["role": "rep", "active": "true", "programs": "RIDE"],
                        expect: roles(
                            rep: .forbidden, supervisor: .forbidden, admin: .seeOther, anonymous: page.signedIn)),
                    Case(
                        whose: .other, path: "/admin/users/\(w.helpRep.id)",
                        form: ["role": "rep", "active": "true", "programs": "HELP"],
                        expect: roles(
                            rep: .forbidden, supervisor: .forbidden, admin: .seeOther, anonymous: page.signedIn)),
                ]),
            Probe(
                method: .GET, route: "/admin/tokens",
                cases: [
                    Case(
                        whose: .none, path: "/admin/tokens",
                        expect: roles(rep: .forbidden, supervisor: .forbidden, admin: .ok, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/admin/tokens",
                cases: [
                    Case(
                        whose: .none, path: "/admin/tokens",
                        form: ["user": "rep@test.example", "name": "pbx", "scopes": "read"],
                        expect: roles(
                            rep: .forbidden, supervisor: .forbidden, admin: .created, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/admin/tokens/:tokenID/revoke",
                cases: [
                    Case(
                        whose: .none, path: "/admin/tokens/TOKEN/revoke", form: [:],
                        expect: roles(
                            rep: .forbidden, supervisor: .forbidden, admin: .seeOther, anonymous: page.signedIn))
                ]),
            Probe(
                method: .POST, route: "/sign-out",
                cases: [
                    Case(
                        whose: .none, path: "/sign-out", form: [:],
                        expect: roles(rep: .seeOther, supervisor: .seeOther, admin: .seeOther, anonymous: .seeOther))
                ]),
        ]
    }

    @Test func everyRouteIsInTheMatrix() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let probed = Set(Self.probes(world).map { "\($0.method.rawValue) \($0.route)" })
            let routes = Set(
                app.routes.all.map { route in
                    "\(route.method.rawValue) /" + route.path.map { "\($0)" }.joined(separator: "/")
                })
            #expect(routes.subtracting(probed).isEmpty, "routes missing from the access matrix")
            #expect(probed.subtracting(routes).isEmpty, "matrix names routes that do not exist")
        }
    }

    /// An active incident of each program, for the probes of `/api/v1/incidents/:incidentID`.
    static let rideIncident = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a11d")!
    static let helpIncident = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b11d")!
    /// The same for the pages' probes.
    static let ridePageIncident = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a22d")!
    static let helpPageIncident = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b22d")!

    static func makeIncidents(_ world: World, on db: any Database) async throws {
        let incidents = [
            (rideIncident, world.ride), (helpIncident, world.help), (ridePageIncident, world.ride),
            (helpPageIncident, world.help),
        ]
        for (id, program) in incidents {
            let incident = Incident()
            incident.id = id
            incident.set(
                try IncidentMessages(title: "Down", publicMessage: "Down.", ivrMessage: "Down.", emailReply: nil))
            incident.channelList = "voice"
            incident.declaredAt = Date()
            incident.updatedAt = Date()
            try await incident.create(on: db)
            try await IncidentProgram(incident: id, program: program.id!).create(on: db)
            try await IncidentUpdate(incident: id, seq: 1, kind: .declared, message: "Down.", at: Date(), author: nil)
                .create(on: db)
        }
    }

    /// Nominated moments of each program, for the moment probes (one to feature, one to decline).
    static let rideMoment = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a77d")!
    static let helpMoment = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b77d")!
    static let rideMomentToDecline = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a88d")!
    static let helpMomentToDecline = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b88d")!
    static let ridePageMoment = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a99d")!
    static let helpPageMoment = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b99d")!
    static let ridePageMomentToDecline = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000aaad")!
    static let helpPageMomentToDecline = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000baad")!

    static func makeMoments(_ world: World, now: Date, on db: any Database) async throws {
        for (id, program, rep) in [
            (rideMoment, world.ride, world.rep), (helpMoment, world.help, world.helpRep),
            (rideMomentToDecline, world.ride, world.rep), (helpMomentToDecline, world.help, world.helpRep),
            (ridePageMoment, world.ride, world.rep), (helpPageMoment, world.help, world.helpRep),
            (ridePageMomentToDecline, world.ride, world.rep), (helpPageMomentToDecline, world.help, world.helpRep),
        ] {
            try await makeMoment(id, program, rep, featured: false, now: now, on: db)
        }
    }

    /// A moment of the rep's, nominated or featured.
    static func makeMoment(
        _ id: UUID, _ program: Program, _ rep: World.Account, featured: Bool, now: Date, on db: any Database
    ) async throws {
        let moment = Moment()
        moment.id = id
        moment.programID = program.id!
        moment.repID = rep.id
        moment.nominatedBy = rep.id
        moment.channel = .voice
        moment.littleExtra = "Remembered the customer's name"
        moment.tags = "recognition"
        moment.status = featured ? .featured : .nominated
        moment.reviewedAt = featured ? now : nil
        moment.sharedLittleExtra = featured ? moment.littleExtra : nil
        moment.createdAt = now
        try await moment.create(on: db)
    }

    /// A collection of each program (for the API and for the pages) holding one featured moment, assigned to the
    /// program's rep; and a featured moment of each program not in them yet.
    static let rideCollection = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a11c")!
    static let helpCollection = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b11c")!
    static let ridePageCollection = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a22c")!
    static let helpPageCollection = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b22c")!
    static let rideTaughtMoment = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a33c")!
    static let helpTaughtMoment = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b33c")!
    static let rideSpareMoment = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a44c")!
    static let helpSpareMoment = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b44c")!

    static func makeCollections(_ world: World, now: Date, on db: any Database) async throws {
        for (id, program, rep) in [
            (rideTaughtMoment, world.ride, world.rep), (helpTaughtMoment, world.help, world.helpRep),
            (rideSpareMoment, world.ride, world.rep), (helpSpareMoment, world.help, world.helpRep),
        ] {
            try await makeMoment(id, program, rep, featured: true, now: now, on: db)
        }
        for (id, program, rep, moment) in [
            (rideCollection, world.ride, world.rep, rideTaughtMoment),
            (helpCollection, world.help, world.helpRep, helpTaughtMoment),
            (ridePageCollection, world.ride, world.rep, rideTaughtMoment),
            (helpPageCollection, world.help, world.helpRep, helpTaughtMoment),
        ] {
            let collection = TrainingCollection()
            collection.id = id
            collection.programID = program.id!
            collection.title = "Recognition"
            collection.dueOn = "2026-11-30"
            collection.wholeProgram = false
            collection.createdBy = world.admin.id
            collection.createdAt = now
            try await collection.create(on: db)
            try await TrainingAssignee(collection: id, rep: rep.id).create(on: db)
            try await TrainingItem(collection: id, moment: moment, position: 0, prompt: "Why?").create(on: db)
        }
    }

    /// A running challenge of each program (one more each to close), with a story by the program's rep that was
    /// answered, and one to nominate.
    static let rideChallenge = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a11e")!
    static let helpChallenge = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b11e")!
    static let rideChallengeToClose = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a22e")!
    static let helpChallengeToClose = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b22e")!
    static let rideStory = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a33e")!
    static let helpStory = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b33e")!
    static let rideStoryToNominate = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a44e")!
    static let helpStoryToNominate = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b44e")!
    static let ridePageChallenge = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a55e")!
    static let helpPageChallenge = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b55e")!
    static let ridePageChallengeToClose = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a66e")!
    static let helpPageChallengeToClose = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b66e")!
    static let ridePageStory = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a77e")!
    static let helpPageStory = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b77e")!
    static let ridePageStoryToNominate = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a88e")!
    static let helpPageStoryToNominate = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b88e")!

    static let rideSurvey = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a5e1")!
    static let helpSurvey = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b5e1")!
    static let ridePageSurvey = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a5e2")!
    static let helpPageSurvey = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b5e2")!
    static let rideKudos = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a6d0")!
    static let helpKudos = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b6d0")!

    /// Each program's answered surveys that raised an alert (one for the API, one for the page), and thanks for
    /// each program's rep.
    static func makeSurveys(_ world: World, now: Date, on db: any Database) async throws {
        for (id, program, rep, customer, number) in [
            (rideSurvey, world.ride, world.rep, world.rideCustomer, "+13125550142"),
            (helpSurvey, world.help, world.helpRep, world.helpCustomer, "+442079460958"),
            (ridePageSurvey, world.ride, world.rep, world.rideCustomer, "+13125550142"),
            (helpPageSurvey, world.help, world.helpRep, world.helpCustomer, "+442079460958"),
        ] {
            let contact = try await Contact.ended(
                program: program.id!, customer: customer.id, rep: rep.id, from: number, endedAt: now - 6000, on: db)
            let survey = Survey()
            survey.id = id
            survey.programID = program.id!
            survey.contactID = contact.id!
            survey.customerID = customer.id
            survey.repID = rep.id
            survey.channel = .voice
            survey.status = .answered
            survey.createdAt = now - 3600
            survey.answeredAt = now - 600
            survey.score = 1
            survey.alert = true
            try await survey.create(on: db)
        }
        for (id, program, rep) in [(rideKudos, world.ride, world.rep), (helpKudos, world.help, world.helpRep)] {
            let kudos = Kudos()
            kudos.id = id
            kudos.programID = program.id!
            kudos.repID = rep.id
            kudos.source = .customer
            kudos.fromName = "A customer"
            kudos.text = "Thank you"
            kudos.createdAt = now
            try await kudos.create(on: db)
        }
    }

    static func makeChallenges(_ world: World, now: Date, on db: any Database) async throws {
        for (id, program) in [
            (rideChallenge, world.ride), (helpChallenge, world.help), (rideChallengeToClose, world.ride),
            (helpChallengeToClose, world.help), (ridePageChallenge, world.ride), (helpPageChallenge, world.help),
            (ridePageChallengeToClose, world.ride), (helpPageChallengeToClose, world.help),
        ] {
            let challenge = Challenge()
            challenge.id = id
            challenge.title = "Make someone's day"
            challenge.prompt = "You have the power."
            challenge.startsAt = now - 3600
            challenge.endsAt = now + 7 * 86_400
            challenge.questions = FollowUpQuestions.standard.joined(separator: "\n")
            challenge.createdBy = world.admin.id
            challenge.createdAt = now
            try await challenge.create(on: db)
            try await ChallengeProgram(challenge: id, program: program.id!).create(on: db)
        }
        for (id, challenge, program, rep) in [
            (rideStory, rideChallenge, world.ride, world.rep), (helpStory, helpChallenge, world.help, world.helpRep),
            (rideStoryToNominate, rideChallenge, world.ride, world.rep),
            (helpStoryToNominate, helpChallenge, world.help, world.helpRep),
            (ridePageStory, ridePageChallenge, world.ride, world.rep),
            (helpPageStory, helpPageChallenge, world.help, world.helpRep),
            (ridePageStoryToNominate, ridePageChallenge, world.ride, world.rep),
            (helpPageStoryToNominate, helpPageChallenge, world.help, world.helpRep),
        ] {
            let story = ChallengeStory()
            story.id = id
            story.challengeID = challenge
            story.programID = program.id!
            story.repID = rep.id
            story.kind = .story
            story.text = "Remembered his name"
            story.createdAt = now
            try await story.create(on: db)
            try await StoryEntry(
                story: id, author: world.admin.id, kind: .answer, text: "Thank you", questions: ["How did it feel?"],
                at: now
            ).create(on: db)
        }
    }

    /// A campaign of each program with one call due now, for the campaign probes.
    static let rideCampaign = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a33d")!
    static let helpCampaign = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b33d")!
    static let rideCampaignCall = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a44d")!
    static let helpCampaignCall = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b44d")!
    static let ridePageCampaign = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a55d")!
    static let helpPageCampaign = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b55d")!
    static let ridePageCampaignCall = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000a66d")!
    static let helpPageCampaignCall = UUID(uuidString: "0193a1e4-0000-7000-8000-00000000b66d")!

    static func makeCampaigns(_ world: World, now: Date, on db: any Database) async throws {
        for (id, callID, program, number) in [
            (rideCampaign, rideCampaignCall, world.ride, "+13125550123"),
            (helpCampaign, helpCampaignCall, world.help, "+442079460123"),
            (ridePageCampaign, ridePageCampaignCall, world.ride, "+13125550124"),
            (helpPageCampaign, helpPageCampaignCall, world.help, "+442079460124"),
        ] {
            let campaign = Campaign()
            campaign.id = id
            campaign.programID = program.id!
            campaign.title = "Callbacks"
            campaign.windowStart = now - 7200
            campaign.windowEnd = now - 3600
            campaign.opener = OpenerScript.standard.text
            campaign.window = try CallingWindow(opens: "00:00", closes: "24:00", days: [1, 2, 3, 4, 5, 6, 7])
            campaign.maxAttempts = 3
            campaign.spacingMinutes = 60
            campaign.claimMinutes = 15
            (campaign.attempts, campaign.callable, campaign.uncallable, campaign.gotThrough) = (1, 1, 0, 0)
            campaign.createdAt = now
            try await campaign.create(on: db)
            let call = CampaignCall()
            call.id = callID
            call.campaignID = id
            call.number = number
            call.customerIDs = ""
            call.zone = program.timeZone
            call.attempts = 1
            call.firstAttemptAt = now - 5000
            call.lastAttemptAt = now - 5000
            call.channels = "voice"
            (call.explicit, call.care, call.priority, call.state) = (false, false, 2, .due)
            call.dueAt = now
            call.tries = 0
            call.reached = false
            try await call.create(on: db)
        }
    }

    @Test func everyRouteAnswersEachRoleAndProgramAsItShould() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            try await Self.makeIncidents(world, on: app.db)
            try await Self.makeCampaigns(world, now: app.clock.now, on: app.db)
            try await Self.makeMoments(world, now: app.clock.now, on: app.db)
            try await Self.makeCollections(world, now: app.clock.now, on: app.db)
            try await Self.makeChallenges(world, now: app.clock.now, on: app.db)
            try await Self.makeSurveys(world, now: app.clock.now, on: app.db)
            let tokens: [Who: String] = [
                .rep: world.rep.token, .supervisor: world.supervisor.token, .admin: world.admin.token,
            ]
            let emails: [Who: String] = [
                .rep: "rep@test.example", .supervisor: "supervisor@test.example", .admin: "admin@test.example",
            ]
            let revocable = try await APITokens.create(
                for: world.rep.user, name: "matrix", scopeNames: ["read"], actor: nil, now: app.clock.now, on: app.db
            ).0
            var checked = 0
            let counter = Counter()
            for probe in Self.probes(world) {
                for testCase in probe.cases {
                    // Sign-out ends the session, so it gets fresh sessions of its own; every case is run in turn.
                    for who in [Who.anonymous, .rep, .supervisor, .admin] {
                        guard let expected = testCase.expect[who] else { continue }
                        let path = testCase.path.replacingOccurrences(of: "TOKEN", with: revocable.id!.uuidString)
                        let n = String(counter.next())
                        let json = testCase.json?.replacingOccurrences(of: "{n}", with: n)
                        let form = testCase.form?.mapValues { $0.replacingOccurrences(of: "{n}", with: n) }
                        let status: HTTPStatus
                        if path.hasPrefix("/api/") || path == "/healthz" {
                            if let csv = testCase.csv {
                                var headers: HTTPHeaders = ["Content-Type": "text/csv"]
                                if let token = tokens[who] { headers.bearerAuthorization = .init(token: token) }
                                status = try await app.testing().sendRequest(
                                    probe.method, path, headers: headers, body: ByteBuffer(string: csv)
                                ).status
                            } else {
                                status = try await app.send(
                                    probe.method, path, token: tokens[who],
                                    json: json ?? (probe.method == .GET ? nil : "{}")
                                ).status
                            }
                        } else {
                            var browser = try await BrowserSession.start(app, email: emails[who])
                            if probe.method == .GET {
                                status = try await browser.get(app, path).status
                            } else {
                                status = try await browser.post(app, path, form: form ?? [:]).status
                            }
                        }
                        #expect(
                            status == expected,
                            "\(who.rawValue) \(probe.method.rawValue) \(path) (\(testCase.whose.rawValue) program)")
                        checked += 1
                    }
                }
            }
            #expect(checked > 150)
        }
    }

    @Test func listsOnlyShowTheCallersPrograms() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let programs = try await app.send(.GET, "/api/v1/programs", token: world.rep.token).json(
                ItemPage<ProgramDTO>.self)
            #expect(programs.items.map(\.code) == ["RIDE"])
            let all = try await app.send(.GET, "/api/v1/programs", token: world.admin.token).json(
                ItemPage<ProgramDTO>.self)
            #expect(all.items.map(\.code) == ["HELP", "RIDE"])
            let users = try await app.send(.GET, "/api/v1/users", token: world.supervisor.token).json(
                ItemPage<UserDTO>.self)
            #expect(Set(users.items.map(\.email)) == ["rep@test.example", "supervisor@test.example"])
            let customers = try await app.send(.GET, "/api/v1/customers", token: world.rep.token).json(
                ItemPage<CustomerDTO>.self)
            #expect(customers.items.map(\.program) == ["RIDE"])
        }
    }

    @Test func scopesLimitWhatATokenMayDo() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let readOnly = try await APITokens.create(
                for: world.admin.user, name: "ro", scopeNames: ["read"], actor: nil, now: app.clock.now, on: app.db
            ).1
            #expect(try await app.send(.GET, "/api/v1/customers", token: readOnly).status == .ok)
            let write = try await app.send(
                .PATCH, "/api/v1/customers/\(world.rideCustomer.id!)", token: readOnly, json: #"{"notes":"x"}"#)
            #expect(write.status == .forbidden)
            #expect(try write.problem().detail.contains("write"))
            // Write without the admin scope cannot do admin work, even for an admin.
            let writer = try await APITokens.create(
                for: world.admin.user, name: "rw", scopeNames: ["read", "write"], actor: nil, now: app.clock.now,
                on: app.db
            ).1
            let create = try await app.send(
                .POST, "/api/v1/programs", token: writer,
                json: #"{"code":"X1","name":"X","timeZone":"UTC","country":"US"}"#)
            #expect(create.status == .forbidden)
            // Unknown and revoked tokens are 401 problems.
            #expect(try await app.send(.GET, "/api/v1/me", token: "dmk_nonsense").problem().status == 401)
            // Revoking on the admin page takes effect at once, although the token was just used (and cached).
            let token = try await APIToken.query(on: app.db).filter(\.$name == "ro").first()!
            var admin = try await BrowserSession.start(app, email: "admin@test.example")
            _ = try await admin.get(app, "/admin/tokens")
            #expect(try await admin.post(app, "/admin/tokens/\(token.id!)/revoke", form: [:]).status == .seeOther)
            #expect(try await app.send(.GET, "/api/v1/me", token: readOnly).status == .unauthorized)
        }
    }
}

/// Hands out distinct numbers for unique test values.
final class Counter: @unchecked Sendable {
    private var value = 0
    func next() -> Int {
        value += 1
        return value
    }
}
