import DaymakerCore
import Foundation

/// The post-call survey (see `Surveys.inviteByVoice`): the rep's leg ended with the caller still on the line, and
/// the program's rules invite them. A survey that cannot be recorded ends the call politely; it never keeps a caller.
extension TwilioCall.Steps {
    /// After the rep's leg: the survey's question when the caller is still on the line and the rules invite them,
    /// else nothing (the call ends).
    func offerSurvey() async -> TwiML {
        guard call["CallStatus"] == "in-progress", let from = call["From"] else { return TwiML([]) }
        do {
            guard let contact = try await contact(),
                let opened = try await Surveys.inviteByVoice(
                    contactID: try contact.requireID(), program: call.program, from: from, now: call.now, on: db)
            else { return TwiML([]) }
            let survey = [("survey", try opened.survey.requireID().lowercaseText)]
            let rep = opened.rep ?? "our team"
            return TwiML([
                .init(
                    "Say",
                    text: "Thank you for calling \(call.program.name). Please stay on the line for one question "
                        + "about your call with \(rep)."),
                .init(
                    "Gather",
                    [
                        ("input", "dtmf"), ("numDigits", "1"), ("action", call.url(.survey, query: survey)),
                        ("method", "POST"), ("timeout", "8"),
                    ],
                    [
                        .init(
                            "Say",
                            text: "How satisfied were you? Press 1 for very dissatisfied, up to 5 for very satisfied.")
                    ]),
                .init("Say", text: "Thank you. Goodbye."),
                .init("Hangup"),
            ])
        } catch {
            logger.warning("No voice survey in program \(call.program.code): \(LogSafe.describe(error))")
            return TwiML([])
        }
    }

    /// The score keyed: kept once; a satisfied caller may then record a thank-you for the rep, an unhappy one hears
    /// that someone will look into it (their supervisor is alerted).
    func scored() async throws -> TwiML {
        let goodbye = TwiML([.init("Say", text: "Thank you. Goodbye."), .init("Hangup")])
        guard let id = call.query["survey"].flatMap(UUID.init(uuidString:)), let digits = call["Digits"],
            let score = Int(digits), (1...5).contains(score)
        else { return goodbye }
        let survey: Survey
        do {
            survey = try await Surveys.answerByVoice(
                surveyID: id, score: score, now: call.now, events: events, on: db)
        } catch let error as SurveyError {
            logger.info("A voice survey's answer was not kept: \(error.description)")
            return goodbye
        }
        guard !survey.alert else {
            return TwiML([
                .init(
                    "Say",
                    text: "Thank you for telling us. We are sorry the call did not go as it should; "
                        + "we will look into it. Goodbye."),
                .init("Hangup"),
            ])
        }
        var rep = "our team"
        if let id = survey.repID, let user = try await User.find(id, on: db) { rep = user.displayName }
        return TwiML([
            .init(
                "Say",
                text: "Thank you! If you would like to thank \(rep), say it after the tone, then press the hash key "
                    + "or hang up."),
            .init(
                "Record",
                [
                    ("action", call.url(.thanks, query: [("survey", id.lowercaseText)])), ("method", "POST"),
                    ("maxLength", "60"), ("finishOnKey", "#"), ("playBeep", "true"), ("timeout", "5"),
                ]),
            .init("Say", text: "Thank you. Goodbye."),
            .init("Hangup"),
        ])
    }

    /// The recorded thank-you: kudos for the rep (once, however often Twilio asks).
    func thanked() async throws -> TwiML {
        if let id = call.query["survey"].flatMap(UUID.init(uuidString:)), let url = call["RecordingUrl"] {
            try await Surveys.recordedThanks(
                surveyID: id, recording: url, seconds: Int(call["RecordingDuration"] ?? "") ?? 0, now: call.now,
                events: events, on: db)
        }
        return TwiML([.init("Say", text: "Thank you. We will pass it on. Goodbye."), .init("Hangup")])
    }
}
