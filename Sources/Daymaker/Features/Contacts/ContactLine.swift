import Foundation

/// A contact as pages list it, on the desk's card and the customer page alike: its local time and words.
struct ContactLine: Encodable {
    /// The contact's id, where it is a stored contact (to nominate it as a moment).
    var id: String?
    let when: String
    let channel: String
    let direction: String
    let reason: String?
    let summary: String?
    let rep: String?
    /// What came of it: "abandoned" or "failed" when nobody handled it, else its resolution (or nothing yet).
    let outcome: String
    let unhandled: Bool

    private init(
        at: Date, channel: Contact.Channel?, direction: Contact.Direction?, status: Contact.Status?, reason: String?,
        summary: String?, resolution: Contact.Resolution?, rep: String?, zone: TimeZone
    ) {
        when = DisplayTime.format(at, in: zone)
        self.channel = channel?.rawValue ?? ""
        self.direction = direction?.rawValue ?? ""
        self.reason = reason
        self.summary = summary
        self.rep = rep
        unhandled = status == .abandoned || status == .failed
        outcome = unhandled ? status?.rawValue ?? "" : resolution?.rawValue ?? ""
    }

    init(_ contact: Contact, rep: String?, zone: TimeZone) {
        self.init(
            at: contact.arrivedAt, channel: contact.channel, direction: contact.direction, status: contact.status,
            reason: contact.reason, summary: contact.summary, resolution: contact.resolution, rep: rep, zone: zone)
        id = contact.id?.lowercaseText
    }

    init(_ contact: RecognitionCard.PastContact, zone: TimeZone) {
        self.init(
            at: contact.at, channel: contact.channel, direction: contact.direction, status: contact.status,
            reason: contact.reason, summary: contact.summary, resolution: contact.resolution, rep: contact.rep,
            zone: zone)
    }

    init(_ matter: RecognitionCard.OpenMatter, zone: TimeZone) {
        self.init(
            at: matter.at, channel: nil, direction: nil, status: nil, reason: matter.reason, summary: matter.summary,
            resolution: matter.resolution, rep: nil, zone: zone)
    }
}
