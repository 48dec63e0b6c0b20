import DaymakerCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// A program's queue and reps right now, as a supervisor watches them: who is waiting and for how long, how today
/// went (service level, abandoned), and each rep's presence, time in it and current contact.
struct QueueBoard: Content, Equatable {
    @LowercaseID var programId: UUID
    var program: String
    var programName: String
    /// Contacts waiting for a rep (not yet offered to one who accepted).
    var waiting: Int
    /// When the longest-waiting contact arrived (the page counts the wait up from it).
    var longestWaitingSince: Date?
    var today: Today
    var reps: [RepLine]
    /// Surveys that scored low or said what could have been done better, waiting for a supervisor's callback.
    var alerts: [SurveyAlert]
    /// Today's contacts flagged heated or abusive, newest first: whose, so a supervisor can check in on them.
    var hardContacts: [HardContact]

    struct HardContact: Content, Equatable {
        @LowercaseID var contactId: UUID
        var rep: String?
        var flag: Contact.Wellbeing
        var customerName: String?
        var at: Date
    }

    struct SurveyAlert: Content, Equatable {
        @LowercaseID var surveyId: UUID
        var score: Int
        var rep: String?
        var customerName: String?
        var better: String?
        var answeredAt: Date
    }

    /// Since midnight in the program's zone.
    struct Today: Content, Equatable {
        var answered: Int
        var answeredWithinTarget: Int
        var abandoned: Int
        var targetAnswerSeconds: Int
        /// Answered within the target ÷ (answered + abandoned), in percent; nil before the first such contact.
        var serviceLevel: Int?
    }

    struct RepLine: Content, Equatable {
        @LowercaseID var userId: UUID
        var displayName: String
        var presence: Presence
        /// In this presence since (nil: never anything but offline).
        var since: Date?
        var contact: CurrentContact?
    }

    /// The contact a rep is on now.
    struct CurrentContact: Content, Equatable {
        @LowercaseID var id: UUID
        var channel: Contact.Channel
        var customerName: String?
        var answeredAt: Date?
    }
}

extension QueueBoard {
    static func load(_ program: Program, now: Date, on db: any Database) async throws -> QueueBoard {
        let programID = try program.requireID()
        let settings = try await RoutingSettings.load(programID: programID, on: db)
        // The same literal condition as the partial index idx_contacts_waiting, so this stays an index probe.
        let waiting = try await Contact.query(on: db).filter(\.$program.$id == programID)
            .filter(.sql(unsafeRaw: "status = 'queued' AND rep_id IS NULL")).sort(\.$arrivedAt).all(\.$arrivedAt)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = program.zone
        let midnight = calendar.startOfDay(for: now)
        let today = try await Contact.query(on: db).filter(\.$program.$id == programID)
            .filter(\.$arrivedAt >= midnight).field(\.$arrivedAt).field(\.$answeredAt).field(\.$status).all()
        let answered = today.compactMap { contact in contact.answeredAt.map { $0.timeIntervalSince(contact.arrivedAt) }
        }
        let withinTarget = answered.filter { $0 <= settings.targetAnswer }.count
        let abandoned = today.filter { $0.status == .abandoned }.count
        let decided = answered.count + abandoned
        return QueueBoard(
            programId: programID, program: program.code, programName: program.name, waiting: waiting.count,
            longestWaitingSince: waiting.first,
            today: Today(
                answered: answered.count, answeredWithinTarget: withinTarget, abandoned: abandoned,
                targetAnswerSeconds: Int(settings.targetAnswer),
                serviceLevel: decided == 0 ? nil : Int((Double(withinTarget) * 100 / Double(decided)).rounded())),
            reps: try await reps(of: programID, now: now, on: db),
            alerts: try await alerts(of: programID, on: db),
            hardContacts: try await hardContacts(of: programID, since: midnight, on: db))
    }

    private static func hardContacts(of programID: UUID, since: Date, on db: any Database) async throws -> [HardContact]
    {
        let flagged = try await Contact.query(on: db).filter(\.$program.$id == programID)
            .filter(\.$arrivedAt >= since.addingTimeInterval(-86_400)).filter(\.$wellbeingAt >= since)
            .sort(\.$wellbeingAt, .descending).with(\.$customer).limit(20).all()
        let names = try await User.displayNames(Set(flagged.compactMap { $0.$rep.id }), on: db)
        return try flagged.compactMap { contact in
            guard let flag = contact.wellbeing, let at = contact.wellbeingAt else { return nil }
            return HardContact(
                contactId: try contact.requireID(), rep: contact.$rep.id.flatMap { names[$0] }, flag: flag,
                customerName: contact.customer.map { $0.preferredName ?? $0.fullName }, at: at)
        }
    }

    /// The program's unhandled survey alerts, newest first.
    private static func alerts(of programID: UUID, on db: any Database) async throws -> [SurveyAlert] {
        let surveys = try await Survey.query(on: db).filter(\.$programID == programID).filter(\.$alert == true)
            .filter(\.$alertHandledAt == nil).sort(\.$answeredAt, .descending).limit(20).all()
        guard !surveys.isEmpty else { return [] }
        let names = try await User.displayNames(Set(surveys.compactMap(\.repID)), on: db)
        let customers = Dictionary(
            try await Customer.query(on: db).filter(\.$id ~~ surveys.compactMap(\.customerID)).all().map {
                (try $0.requireID(), $0.preferredName ?? $0.fullName)
            }, uniquingKeysWith: { first, _ in first })
        return try surveys.map { survey in
            SurveyAlert(
                surveyId: try survey.requireID(), score: survey.score ?? 0, rep: survey.repID.flatMap { names[$0] },
                customerName: survey.customerID.flatMap { customers[$0] }, better: survey.better,
                answeredAt: survey.answeredAt ?? survey.createdAt)
        }
    }

    /// The program's reps, and anyone else of it who is not offline, each with the contact they are on.
    private static func reps(of programID: UUID, now: Date, on db: any Database) async throws -> [RepLine] {
        let members = try await User.activeMembers(of: programID, on: db)
        let ids = members.compactMap(\.id)
        let presence = Dictionary(
            try await PresenceRecord.query(on: db).filter(\.$user.$id ~~ ids).all().map { ($0.$user.id, $0) },
            uniquingKeysWith: { first, _ in first })
        // A contact a rep is on started within the last day; the bound keeps this a range of the rep's index.
        let current = try await Contact.query(on: db).filter(\.$rep.$id ~~ ids).filter(\.$status == .connected)
            .filter(\.$arrivedAt >= now.addingTimeInterval(-86_400)).with(\.$customer).sort(\.$arrivedAt).all()
        var onContact: [UUID: Contact] = [:]
        for contact in current { if let rep = contact.$rep.id { onContact[rep] = contact } }
        return try members.compactMap { member in
            let id = try member.requireID()
            let record = presence[id]
            let state = record?.state ?? .offline
            guard member.role == .rep || state != .offline else { return nil }
            return RepLine(
                userId: id, displayName: member.displayName, presence: state, since: record?.since,
                contact: try onContact[id].map { contact in
                    CurrentContact(
                        id: try contact.requireID(), channel: contact.channel,
                        customerName: contact.customer.map { $0.preferredName ?? $0.fullName },
                        answeredAt: contact.answeredAt)
                })
        }
    }
}
