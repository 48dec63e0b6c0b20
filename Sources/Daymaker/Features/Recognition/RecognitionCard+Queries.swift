import Fluent
import Foundation

extension RecognitionCard {
    /// Builds the cards for customers of one program, most recently active first.
    ///
    /// - Parameters:
    ///   - customers: customers of `program`, already checked to be visible to the reader.
    ///   - reader: who is looking; care-note reads are audited against them.
    ///   - repName: the reader's display name, used in the greeting.
    /// How many recent contacts per customer the card reads (enough for a daily regular's whole window).
    static let historyLimit = 400

    static func recentContacts(customerIDs: [UUID], limit: Int, on db: any Database) async throws -> [UUID: [Contact]] {
        var result: [UUID: [Contact]] = [:]
        for id in customerIDs {
            result[id] = try await Contact.query(on: db).filter(\.$customer.$id == id)
                .sort(\.$arrivedAt, .descending).limit(limit).all()
        }
        return result
    }

    static func build(
        for customers: [Customer], program: Program, settings: RecognitionSettings, reader: Principal, now: Date,
        on db: any Database
    ) async throws -> [RecognitionCard] {
        let ids = customers.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let zone = TimeZone(identifier: program.timeZone) ?? .gmt
        let policy = RecognitionPolicy(settings: settings, timeZone: zone)
        // Two extra days cover the local-day rounding at the window's start.
        let windowStart = now.addingTimeInterval(-Double(settings.windowDays + 2) * 86_400)

        // Each customer's latest contacts, newest first: the whole window for all but the busiest callers,
        // and the last five for someone not in touch within it. One index range scan per customer.
        async let historyRows = Self.recentContacts(customerIDs: ids, limit: Self.historyLimit, on: db)
        async let bookingRows = Booking.query(on: db)
            .filter(\.$customer.$id ~~ ids)
            .filter(\.$startsAt >= now.addingTimeInterval(-3600)).filter(\.$startsAt <= now.addingTimeInterval(7 * 86_400))
            .filter(\.$status != .cancelled)
            .sort(\.$startsAt).all()
        // Care notes are for members of the program only, not for admins from outside it.
        let readsCareNotes = reader.programIDs.contains(try program.requireID())
        async let noteRows = readsCareNotes
            ? CareNote.query(on: db).filter(\.$customer.$id ~~ ids).filter(\.$retiredAt == nil)
                .sort(\.$createdAt, .descending).all()
            : []
        let contactsByCustomer = try await historyRows.mapValues { rows in
            Array(rows.enumerated().prefix { index, contact in index < 5 || contact.arrivedAt >= windowStart }.map(\.element))
        }
        let bookings = Dictionary(grouping: try await bookingRows, by: { $0.$customer.id })
        let notes = Dictionary(grouping: try await noteRows, by: { $0.$customer.id })

        var repIDs = Set(contactsByCustomer.values.flatMap { $0.compactMap { $0.$rep.id } })
        repIDs.formUnion(customers.compactMap { $0.$preferredRep.id })
        repIDs.formUnion(notes.values.flatMap { $0.map(\.authorID) })
        let reps = Dictionary(uniqueKeysWithValues: try await User.query(on: db).filter(\.$id ~~ repIDs).all()
            .compactMap { user in user.id.map { ($0, user.displayName) } })
        func rep(_ id: UUID?) -> Rep? { id.flatMap { id in reps[id].map { Rep(id: id, displayName: $0) } } }

        var cards: [(card: RecognitionCard, lastActive: Date)] = []
        for customer in customers {
            guard let id = customer.id else { continue }
            let contacts = contactsByCustomer[id] ?? []
            let history = contacts.map {
                RecognitionPolicy.Past(
                    arrivedAt: $0.arrivedAt, inbound: $0.direction == .inbound, repID: $0.$rep.id,
                    handled: $0.status != .abandoned && $0.status != .failed)
            }
            let assessment = policy.assess(history, now: now)
            let bond = policy.bond(history)
            let name = customer.preferredName ?? customer.fullName.split(separator: " ").first.map(String.init)
            let careNotes = notes[id] ?? []
            let card = RecognitionCard(
                customer: .init(id: id, customerNumber: customer.customerNumber, name: customer.fullName,
                                preferredName: customer.preferredName, program: program.code),
                regular: assessment.regular, usualGapDays: assessment.usualGapDays,
                daysSinceLastContact: assessment.daysSinceLastContact, missedYou: assessment.missedYou,
                greeting: policy.greeting(name: name, assessment: assessment, rep: reader.displayName, program: program.name),
                lastContacts: contacts.prefix(5).compactMap { contact in
                    contact.id.map {
                        PastContact(id: $0, at: contact.arrivedAt, channel: contact.channel, direction: contact.direction,
                                    status: contact.status, reason: contact.reason, summary: contact.summary,
                                    resolution: contact.resolution, rep: contact.$rep.id.flatMap { reps[$0] })
                    }
                },
                bond: Bond(mostHelpedBy: rep(bond.mostHelpedBy), contactsWithMostHelped: bond.contactsWithMostHelped,
                           lastHelpedBy: rep(bond.lastHelpedBy), preferredRep: rep(customer.$preferredRep.id)),
                openMatters: contacts.filter { $0.resolution == .unresolved || $0.resolution == .followUp }.compactMap { contact in
                    contact.id.map {
                        OpenMatter(kind: "contact", contactId: $0, at: contact.arrivedAt, reason: contact.reason,
                                   summary: contact.summary, resolution: contact.resolution)
                    }
                },
                upcomingBookings: (bookings[id] ?? []).compactMap { booking in
                    booking.id.map {
                        BookingSummary(id: $0, kind: booking.kind, startsAt: booking.startsAt, pickUp: booking.pickUp,
                                       dropOff: booking.dropOff, notes: booking.notes, status: booking.status)
                    }
                },
                careNotes: careNotes.compactMap { note in
                    note.id.map {
                        CareNoteSummary(id: $0, kind: note.kind, text: note.text, guidance: note.guidance,
                                        author: reps[note.authorID], createdAt: note.createdAt, reviewOn: note.reviewOn)
                    }
                })
            if !careNotes.isEmpty {
                try await AuditEntry.record(
                    on: db, actor: reader.userID, action: "care-notes.read", recordType: "customer", recordID: id,
                    programID: program.id, detail: "\(careNotes.count) note(s) on the recognition card")
            }
            cards.append((card, contacts.first?.arrivedAt ?? customer.createdAt ?? .distantPast))
        }
        return cards.sorted { $0.lastActive > $1.lastActive }.map(\.card)
    }
}
