import Fluent
import Foundation

/// What the desk page shows: the one box, the program picker, and one of a card, a list of candidates or the
/// new-caller form.
struct DeskView: Encodable {
    /// Someone the box may mean, when it points at more than one person.
    struct Candidate: Encodable {
        let id: UUID
        let name: String
        let customerNumber: String
        let detail: String
    }

    /// The form for someone the program does not know, filled with what they were found by.
    struct NewCaller: Encodable {
        let greeting: String
        let phone: String
        let email: String
        let handle: String
        let name: String
    }

    var query = ""
    let programs: [ProgramOption]
    let program: String
    var card: CardView?
    var notes: [CustomerNote.Line] = []
    var candidates: [Candidate] = []
    var newCaller: NewCaller?
    var notice: String?
    var error: String?
    /// Days made in the rep's programs lately (see `Moments.feed`).
    var feed: [FeaturedMomentDTO] = []
    /// The rep's own wall, and the teammates they may thank.
    var wall = ""
    var teammates: [FormChoice] = []
    /// The rep's contacts of the last day flagged hard on them, to share as a hard contact in a running challenge.
    var hardContacts: [HardContactLine] = []

    struct HardContactLine: Encodable {
        let id: String
        let what: String
        /// Whether a challenge runs in its program (it can be shared there).
        let shareable: Bool
    }

    init(programs: [Program], selected: Program, notice: String?) {
        self.programs = ProgramOption.list(programs, selected: selected)
        self.program = selected.code
        self.notice = notice
    }

    /// Shows one person's card with their latest quick notes.
    mutating func show(_ card: RecognitionCard, zone: TimeZone, on db: any Database) async throws {
        self.card = CardView(card, zone: zone)
        notes = try await CustomerNote.Line.newest(customerID: card.customer.id, zone: zone, limit: 5, on: db)
    }

    var title: String { card?.name ?? (newCaller != nil ? "New caller" : "Desk") }
}
