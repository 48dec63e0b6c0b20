import DaymakerCore
import Vapor

/// A path on this site: the only kind of value Daymaker sends back in a `Location` header.
///
/// It starts with a single `/` (never `//` or `/\`, which browsers read as another host) and holds only the
/// characters of a URL path and query (RFC 3986: unreserved, sub-delimiters, `:`, `@`, `/`, `?` and `%XX`
/// escapes). Controls, spaces, tabs, backslashes and non-ASCII characters — anything a browser or a proxy could
/// read differently — make it invalid.
struct LocalPath: Sendable, Equatable, CustomStringConvertible {
    let description: String

    init?(_ raw: String?) {
        guard let raw, Self.isSafe(Array(raw.utf8)) else { return nil }
        description = raw
    }

    private static func isSafe(_ bytes: [UInt8]) -> Bool {
        guard bytes.first == UInt8(ascii: "/") else { return false }
        if bytes.count > 1, bytes[1] == UInt8(ascii: "/") || bytes[1] == UInt8(ascii: "\\") { return false }
        guard bytes.count <= 2048 else { return false }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, Hex.value(of: bytes[index + 1]) != nil,
                    Hex.value(of: bytes[index + 2]) != nil
                else { return false }
                index += 3
                continue
            }
            guard allowed[Int(byte)] else { return false }
            index += 1
        }
        return true
    }

    private static let allowed: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        let characters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?"
        for byte in characters.utf8 { table[Int(byte)] = true }
        return table
    }()

    /// Percent-encodes a path for use as one query value (`/sign-in?next=…`).
    var queryValue: String {
        description.addingPercentEncoding(withAllowedCharacters: Self.queryValueCharacters) ?? "%2F"
    }

    private static let queryValueCharacters = CharacterSet(
        charactersIn:
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
}

/// A confirmation the server chose to show after a redirect (`?notice=note-saved`). Pages show only these texts;
/// whatever else a link carries in `notice` is ignored.
enum Notice: String, Sendable, CaseIterable {
    case saved
    case noteSaved = "note-saved"
    case writeNoteFirst = "write-note-first"
    case bookingConfirmed = "booking-confirmed"
    case customerAdded = "customer-added"
    case programCreated = "program-created"
    case userCreated = "user-created"
    case userUpdated = "user-updated"
    case presenceChanged = "presence-changed"
    case offerDeclined = "offer-declined"
    case offerAccepted = "offer-accepted"
    case callbackBooked = "callback-booked"
    case surveyCallbackBooked = "survey-callback-booked"
    case kudosSent = "kudos-sent"
    case hardContactFlagged = "hard-contact-flagged"
    case hardContactShared = "hard-contact-shared"
    case wrappedUp = "wrapped-up"
    case messageLeft = "message-left"
    case messageRead = "message-read"
    case transferOffered = "transfer-offered"
    case incidentDeclared = "incident-declared"
    case incidentUpdated = "incident-updated"
    case incidentResolved = "incident-resolved"
    case campaignGenerated = "campaign-generated"
    case outcomeRecorded = "outcome-recorded"
    case nothingDue = "nothing-due"
    case notHeld = "not-held"
    case momentNominated = "moment-nominated"
    case momentFeatured = "moment-featured"
    case momentDeclined = "moment-declined"
    case collectionCreated = "collection-created"
    case addedToCollection = "added-to-collection"
    case collectionChanged = "collection-changed"
    case momentDiscussed = "moment-discussed"
    case challengeStarted = "challenge-started"
    case storyTold = "story-told"
    case storyAnswered = "story-answered"
    case reflected
    case challengeClosed = "challenge-closed"

    var text: String {
        switch self {
        case .saved: "Saved."
        case .noteSaved: "Note saved."
        case .writeNoteFirst: "Write a note first."
        case .bookingConfirmed: "Booking confirmed."
        case .customerAdded: "Customer added."
        case .programCreated: "Program created."
        case .userCreated: "User created."
        case .userUpdated: "User updated."
        case .presenceChanged: "Presence changed."
        case .offerDeclined: "Declined: it goes to the next rep."
        case .offerAccepted: "It is yours."
        case .callbackBooked: "Callback booked, due in that rep's next shift."
        case .surveyCallbackBooked: "Callback booked for you, due within a day."
        case .kudosSent: "Kudos sent; it is on their desk."
        case .hardContactFlagged:
            "That sounded hard. Take a few minutes before the next contact; your supervisor knows."
        case .hardContactShared: "Shared as a hard contact; only you and your supervisors see it."
        case .wrappedUp: "Wrapped up. You are available."
        case .messageLeft: "Message left; it is on their desk."
        case .messageRead: "Marked read."
        case .transferOffered: "Transfer offered; the contact is yours until they take it."
        case .incidentDeclared: "Incident declared: the status page, the banner and the IVR say so now."
        case .incidentUpdated: "Update posted."
        case .incidentResolved: "Incident resolved: the IVR answers as usual again."
        case .campaignGenerated: "Campaign ready: anyone in the program can take the next call."
        case .outcomeRecorded: "Recorded. Thank you."
        case .nothingDue: "Nothing is due right now (the others are held, waiting to retry, or outside calling hours)."
        case .notHeld: "That call is no longer yours: it returned to the pool, or its outcome is in."
        case .momentNominated: "Nominated. A supervisor will review it; you will see what they decide here."
        case .momentFeatured: "Featured: it is in this week's digest, and the rep has been told on their desk."
        case .momentDeclined: "Declined: the nominator sees your reason."
        case .collectionCreated: "Collection created: its reps find it under Training."
        case .addedToCollection: "Added at the end of the collection."
        case .collectionChanged: "Order changed."
        case .momentDiscussed: "Marked discussed. Thank you for your reflection."
        case .challengeStarted: "Challenge started: its reps see it under Challenges."
        case .storyTold: "Thank you for your story. Your manager will answer it here."
        case .storyAnswered: "Answer sent with the questions; the rep finds it on their desk."
        case .reflected: "Thank you for your reflection."
        case .challengeClosed: "Challenge closed."
        }
    }
}

extension Request {
    /// A `303 See Other` to a path on this site, optionally with a notice for the next page. Every redirect
    /// Daymaker answers goes through here; a path that is not a safe `LocalPath` goes to `/` instead.
    func seeOther(_ path: String, notice: Notice? = nil) -> Response {
        var target = "/"
        if let safe = LocalPath(path) {
            target = safe.description
        } else {
            logger.error("Refused an unsafe redirect target; sent to / instead")
        }
        if let notice { target += (target.contains("?") ? "&" : "?") + "notice=\(notice.rawValue)" }
        return redirect(to: target, redirectType: .normal)
    }

    /// The notice named in this page's query, if it is one the server gives out.
    var notice: String? { query[String.self, at: "notice"].flatMap(Notice.init(rawValue:))?.text }
}
