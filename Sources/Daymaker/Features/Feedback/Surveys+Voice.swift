import DaymakerCore
import Fluent
import Foundation

/// The post-call survey on the phone: when a call ends with the caller still on the line and the program's rules
/// invite them, they key a score from 1 to 5 there and then, and may record a thank-you for the rep, which reaches
/// the rep's desk as kudos (see `TwilioCall`).
extension Surveys {
    /// How long after the call its voice survey can be answered.
    static let voiceWindow: TimeInterval = 15 * 60

    /// Invites the caller of a call that just ended, by the program's rules (the same as for every invitation; a
    /// contact whose survey was decided already is not asked again). Asking again for the same call (a provider's
    /// retry) gives the same survey. Nil: not this time.
    static func inviteByVoice(
        contactID: UUID, program: Program, from: String, now: Date, on db: any Database
    ) async throws -> Opened? {
        let rules = rules(of: program)
        guard rules.enabled, rules.channels.contains(Contact.Channel.voice.rawValue) else { return nil }
        let survey = try await db.writeTransaction { db -> Survey? in
            guard let contact = try await Contact.find(contactID, on: db), contact.status == .ended,
                let ended = contact.endedAt, ended > rules.enabledAt ?? .distantPast
            else { return nil }
            var survey = Survey()
            if let noted = try await Survey.query(on: db).filter(\.$contactID == contactID).first() {
                try await db.lockRow(in: Survey.schema, id: try noted.requireID())
                guard let locked = try await Survey.find(noted.id, on: db) else { return nil }
                if locked.status == .invited && locked.invitedBy == .voice { return locked }
                guard locked.status == .pending else { return nil }
                survey = locked
            } else {
                survey.id = UUID(timeOrderedAt: now)
                survey.programID = contact.$program.id
                survey.contactID = contactID
                survey.customerID = contact.$customer.id
                survey.repID = contact.$rep.id
                survey.channel = contact.channel
                survey.status = .pending
                survey.createdAt = now
                survey.alert = false
            }
            let facts = try await Facts.load([survey], program: program, on: db)
            let caller = SurveyRules.Invitation(by: .voice, address: from)
            guard case .invite(let invitation) = rules.decide(facts.candidate(survey, reachable: [caller]), now: now)
            else { return nil }
            survey.status = .invited
            survey.invitedBy = invitation.by
            survey.address = invitation.address
            survey.sentAt = now
            survey.expiresAt = now.addingTimeInterval(voiceWindow)
            try await survey.save(on: db)
            return survey
        }
        guard let survey else { return nil }
        return try await open(survey, now: now, on: db)
    }

    /// The score the caller keyed (1 to 5), once: a provider's retry, or a second answer, changes nothing and gives
    /// the survey as it was answered.
    static func answerByVoice(
        surveyID: UUID, score: Int, now: Date, events: Events, on db: any Database
    ) async throws -> Survey {
        guard let survey = try await Survey.find(surveyID, on: db), survey.invitedBy == .voice else {
            throw SurveyError.unknown
        }
        if survey.status == .answered { return survey }
        do {
            let opened = try await open(survey, now: now, on: db)
            let answer = SurveyAnswer(score: score, madeDay: nil, thanks: nil, better: nil, rootCauses: [])
            return try await self.answer(opened, answer, now: now, events: events, on: db).survey
        } catch SurveyError.answered {
            return try await Survey.find(surveyID, on: db) ?? survey
        }
    }

    /// The thank-you the caller recorded after their score: kudos on the desk of the rep who handled the call,
    /// once. Returns whether it was kept (a recording of under a second is not a thank-you).
    @discardableResult
    static func recordedThanks(
        surveyID: UUID, recording url: String, seconds: Int, now: Date, events: Events, on db: any Database
    ) async throws -> Bool {
        guard seconds >= 1, url.count <= 500, url.hasPrefix("https://") else { return false }
        guard let survey = try await Survey.find(surveyID, on: db), survey.invitedBy == .voice,
            survey.status == .answered, let rep = survey.repID
        else { return false }
        let from = try await customerName(of: survey, on: db)
        let kept = try await db.writeTransaction { db in
            try await db.lockRow(in: Survey.schema, id: surveyID)
            guard try await Kudos.query(on: db).filter(\.$surveyID == surveyID).count() == 0 else { return false }
            let kudos = try Kudos(
                survey, rep: rep, from: from, text: "Recorded a thank-you for you after the call (\(seconds) s).",
                now: now)
            kudos.recordingURL = url
            try await kudos.create(on: db)
            return true
        }
        if kept { await events.publish([.messageLeft(rep)], on: db) }
        return kept
    }
}
