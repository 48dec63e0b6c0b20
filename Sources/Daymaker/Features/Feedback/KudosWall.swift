import DaymakerCore
import Fluent
import Foundation
import Vapor

/// Kudos from a peer or a supervisor.
struct KudosRequest: Content {
    /// The program both work in.
    var program: String
    var repId: UUID
    var text: String
    var contactId: UUID?
}

/// Thanks as a wall shows them: in full inside the program; outside it, the customer's names, numbers and the like
/// replaced as in shared moments (`redacted`).
struct KudosDTO: Content, Equatable {
    @LowercaseID var id: UUID
    var program: String
    @LowercaseID var repId: UUID
    var source: Kudos.Source
    var from: String
    var text: String
    /// A thank-you the customer recorded after a call's voice survey (at the telephony provider).
    var recordingUrl: String?
    @LowercaseID var contactId: UUID?
    var createdAt: Date
    var redacted: Bool
}

/// A rep's wall: their thanks, the days they made (customers who said so in a survey) and their CSAT by week.
struct RepWallDTO: Content, Equatable {
    struct Week: Content, Equatable {
        /// `2026-W49`
        var week: String
        var responses: Int
        /// The mean score, 1–5, to one decimal.
        var average: Double
    }

    @LowercaseID var repId: UUID
    var rep: String
    /// Customers who said the rep made their day, in the last 90 days.
    var daysMade: Int
    /// The last 12 ISO weeks with answers, oldest first.
    var csat: [Week]
    var kudos: [KudosDTO]
}

/// The thanks that reach a rep: from customers' surveys, and kudos from peers and supervisors; on their desk until
/// read, and on their wall. The rep sees their own wall; supervisors their team's; admins everyone's.
enum KudosWall {
    /// The rep's unread thanks, newest first.
    static func unread(for rep: UUID, on db: any Database) async throws -> [Kudos] {
        try await Kudos.query(on: db).filter(\.$repID == rep).filter(\.$readAt == nil)
            .sort(\.$createdAt, .descending).limit(50).all()
    }

    /// Marks one of the rep's own thanks read; anyone else's is not found.
    static func markRead(_ id: UUID, by principal: Principal, now: Date, on db: any Database) async throws {
        guard let kudos = try await Kudos.find(id, on: db), kudos.repID == principal.userID else {
            throw NotFound("Kudos")
        }
        guard kudos.readAt == nil else { return }
        kudos.readAt = now
        try await kudos.save(on: db)
    }

    /// A member of the program thanks another: a peer's kudos, or a supervisor's.
    static func give(
        _ body: KudosRequest, by principal: Principal, now: Date, on db: any Database
    ) async throws -> Kudos {
        let program = try await Program.visible(code: body.program, to: principal, on: db)
        let programID = try program.requireID()
        var errors = FieldValidator()
        let text = errors.text(body.text, "text", maxLength: 1000)
        errors.check(body.repId != principal.userID, "repId", "thank someone else")
        if let id = body.contactId, try await Contact.find(id, on: db)?.$program.id != programID {
            errors.add("contactId", "is not a contact of \(program.code)")
        }
        try errors.finish()
        try await ProgramMembership.requireActiveMember(body.repId, of: programID, field: "repId", on: db)
        let kudos = Kudos()
        kudos.id = UUID(timeOrderedAt: now)
        kudos.programID = programID
        kudos.repID = body.repId
        kudos.source = principal.role >= .supervisor ? .supervisor : .peer
        kudos.fromUserID = principal.userID
        kudos.fromName = try await User.find(principal.userID, on: db)?.displayName ?? "A colleague"
        kudos.contactID = body.contactId
        kudos.text = text ?? ""
        kudos.createdAt = now
        try await kudos.create(on: db)
        return kudos
    }

    /// The rep's wall as the principal may see it; 404 for anyone else.
    static func wall(of rep: UUID, for principal: Principal, now: Date, on db: any Database) async throws -> RepWallDTO
    {
        guard let user = try await User.find(rep, on: db) else { throw NotFound("Rep") }
        let programs = try await ProgramMembership.query(on: db).filter(\.$user.$id == rep).all(\.$program.$id)
        let allowed =
            rep == principal.userID
            || (principal.role >= .supervisor && programs.contains(where: principal.canSee(program:)))
        guard allowed else { throw NotFound("Rep") }
        let kudos = try await Kudos.query(on: db).filter(\.$repID == rep).sort(\.$createdAt, .descending)
            .sort(\.$id, .descending).limit(200).all()
        let codes = Program.codes(try await Program.query(on: db).all())
        let redactions = try await Self.redactions(
            for: kudos.filter { !principal.canSee(program: $0.programID) }, on: db)
        let since = now.addingTimeInterval(-90 * 86_400)
        let answered = try await Survey.query(on: db).filter(\.$repID == rep).filter(\.$status == .answered)
            .filter(\.$answeredAt >= DigestWeek(containing: now.addingTimeInterval(-11 * 7 * 86_400)).start)
            .all()
        var weeks: [String: (count: Int, sum: Int, start: Date)] = [:]
        for survey in answered {
            guard let at = survey.answeredAt, let score = survey.score else { continue }
            let week = DigestWeek(containing: at)
            let current = weeks[week.description] ?? (0, 0, week.start)
            weeks[week.description] = (current.count + 1, current.sum + score, week.start)
        }
        let daysMade = try await Survey.query(on: db).filter(\.$repID == rep).filter(\.$madeDay == true)
            .filter(\.$answeredAt >= since).count()
        return RepWallDTO(
            repId: rep, rep: user.displayName, daysMade: daysMade,
            csat: weeks.sorted { $0.value.start < $1.value.start }.map {
                .init(
                    week: $0.key, responses: $0.value.count,
                    average: (Double($0.value.sum) / Double($0.value.count) * 10).rounded() / 10)
            },
            kudos: try kudos.map { kudos in
                let redaction = redactions[try kudos.requireID()]
                return KudosDTO(
                    id: try kudos.requireID(), program: codes[kudos.programID] ?? "", repId: kudos.repID,
                    source: kudos.source, from: redaction?.redact(kudos.fromName) ?? kudos.fromName,
                    text: redaction?.redact(kudos.text) ?? kudos.text,
                    recordingUrl: redaction == nil ? kudos.recordingURL : nil,
                    contactId: redaction == nil ? kudos.contactID : nil,
                    createdAt: kudos.createdAt, redacted: redaction != nil)
            })
    }

    /// How each thanks shown outside its program is redacted: its customer's names and number, the program's phone
    /// numbering.
    private static func redactions(for kudos: [Kudos], on db: any Database) async throws -> [UUID: Redaction] {
        guard !kudos.isEmpty else { return [:] }
        let customers = Dictionary(
            try await Customer.query(on: db).filter(\.$id ~~ kudos.compactMap(\.customerID)).all().map {
                (try $0.requireID(), $0)
            }, uniquingKeysWith: { first, _ in first })
        let programs = Dictionary(
            try await Program.query(on: db).filter(\.$id ~~ kudos.map(\.programID)).all().map {
                (try $0.requireID(), $0)
            }, uniquingKeysWith: { first, _ in first })
        var result: [UUID: Redaction] = [:]
        for kudos in kudos {
            result[try kudos.requireID()] = Redaction(
                customer: kudos.customerID.flatMap { customers[$0] }, program: programs[kudos.programID],
                at: kudos.createdAt)
        }
        return result
    }
}

extension Kudos {
    /// "Mrs Alvarez thanked you", "Tom sent you kudos".
    var heading: String {
        source == .customer ? "\(fromName) thanked you" : "\(fromName) sent you kudos"
    }
}
