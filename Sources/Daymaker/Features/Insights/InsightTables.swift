import DaymakerCore
import Foundation

/// The dashboard's tables, the same for the page and for each table's CSV export: the page writes numbers for
/// people (`85 %`, `1 min 20 s`), the export for spreadsheets (`0.85`, `80`).
struct InsightTable: Encodable {
    /// Its name in the export's address (`/insights/hours.csv`).
    let name: String
    let caption: String
    let headers: [String]
    let rows: [[String]]

    static let names = ["days", "hours", "reps", "feedback", "callbacks", "causes"]

    /// How numbers are written: for the page, or for a spreadsheet.
    struct Numbers {
        let forPeople: Bool

        func share(_ value: Double?) -> String {
            guard let value else { return forPeople ? "—" : "" }
            return forPeople ? "\(Int((value * 100).rounded())) %" : String(format: "%.4f", value)
        }

        func seconds(_ value: Double?) -> String {
            guard let value else { return forPeople ? "—" : "" }
            guard forPeople else { return String(format: "%.1f", value) }
            let whole = Int(value.rounded())
            return whole < 60 ? "\(whole) s" : "\(whole / 60) min \(whole % 60) s"
        }

        func hours(_ value: Double?) -> String {
            guard let value else { return forPeople ? "—" : "" }
            return forPeople ? String(format: "%.1f h", value) : String(format: "%.2f", value)
        }

        func score(_ value: Double?) -> String {
            guard let value else { return forPeople ? "—" : "" }
            return String(format: "%.2f", value)
        }
    }

    static let metricHeaders = [
        "Contacts", "Offered", "Answered", "Abandoned", "Short abandons", "Service level", "Average speed of answer",
        "Abandonment rate", "Handled", "Average handle time", "First-contact resolution", "Heated", "Abusive",
    ]

    static func metricCells(_ m: InsightsDTO.Metrics, _ n: Numbers) -> [String] {
        [
            String(m.contacts), String(m.offered), String(m.answered), String(m.abandoned), String(m.shortAbandoned),
            n.share(m.serviceLevel), n.seconds(m.averageSpeedOfAnswerSeconds), n.share(m.abandonmentRate),
            String(m.handled), n.seconds(m.averageHandleTimeSeconds), n.share(m.firstContactResolution),
            String(m.heated), String(m.abusive),
        ]
    }

    /// Every table of the dashboard.
    static func all(_ d: InsightsDTO, _ n: Numbers) -> [InsightTable] {
        let channels = Array(Set(d.byHour.map(\.channel))).sorted()
        let hours = (0..<24).map { hour in
            [String(format: "%02d:00", hour)]
                + channels.map { channel in
                    String(d.byHour.first { $0.hour == hour && $0.channel == channel }?.contacts ?? 0)
                }
        }
        return [
            InsightTable(
                name: "days", caption: "By day", headers: ["Day"] + metricHeaders,
                rows: d.byDay.map { [$0.day] + metricCells($0.metrics, n) }),
            InsightTable(
                name: "hours", caption: "Contacts by hour of the day and channel", headers: ["Hour"] + channels,
                rows: hours),
            InsightTable(
                name: "reps", caption: "By rep (the rep who had each contact)", headers: ["Rep"] + metricHeaders,
                rows: d.byRep.map { [$0.rep] + metricCells($0.metrics, n) }),
            InsightTable(
                name: "feedback", caption: "Surveys and kudos",
                headers: ["Invited", "Answered", "Response rate", "Average score", "CSAT", "Kudos"],
                rows: [
                    [
                        String(d.feedback.invited), String(d.feedback.answered), n.share(d.feedback.responseRate),
                        n.score(d.feedback.averageScore), n.share(d.feedback.csat), String(d.feedback.kudos),
                    ]
                ]),
            InsightTable(
                name: "callbacks", caption: "Callbacks after incidents",
                headers: ["Reached", "Not reached", "Average time to reach", "Reached within a day"],
                rows: [
                    [
                        String(d.callbacks.reached), String(d.callbacks.notReached),
                        n.hours(d.callbacks.averageHoursToReach), n.share(d.callbacks.reachedWithinADay),
                    ]
                ]),
            InsightTable(
                name: "causes", caption: "Root causes (wrap-ups, surveys and challenge closings)",
                headers: ["Root cause", "In wrap-ups", "In surveys", "In challenges", "By week"],
                rows: d.rootCauses.map { cause in
                    [
                        cause.cause, String(cause.contacts), String(cause.surveys), String(cause.challenges),
                        cause.byWeek.map { "\($0.week): \($0.count)" }.joined(separator: "; "),
                    ]
                }),
        ]
    }

    /// The table as CSV (RFC 4180), the header row first.
    var csv: String {
        ([headers] + rows).map { CSVWriter.row($0, text: [0]) }.joined()
    }
}

/// What each metric means, written on the page as the definitions the numbers follow.
enum InsightDefinitions {
    static func all(_ d: InsightsDTO) -> [(term: String, definition: String)] {
        let abandons =
            switch d.abandonsBeforeTarget {
            case .ignored: "left out"
            case .against: "counted as missing the target"
            case .favour: "counted as meeting the target"
            }
        return [
            (
                "Offered",
                "Inbound contacts answered, or abandoned after \(d.shortAbandonSeconds) s (the short-abandon threshold); "
                    + "one abandoned sooner is a short abandon, neither offered nor abandoned."
            ),
            (
                "Service level",
                "The share of offered contacts answered within \(d.targetAnswerSeconds) s (the program's target); "
                    + "contacts abandoned before the target are \(abandons)."
            ),
            ("Average speed of answer", "Seconds from arrival to answer, averaged over the answered."),
            ("Abandonment rate", "Contacts abandoned after the short-abandon threshold ÷ offered."),
            (
                "Average handle time",
                "Talk (answer to end) plus wrap-up (end to the saved wrap-up), averaged over the handled; the break "
                    + "after a hard contact is not counted."
            ),
            (
                "First-contact resolution",
                "The share of handled contacts (with a known customer and a reason) after which the same customer did "
                    + "not come back about the same reason within 7 days."
            ),
            ("CSAT", "The share of survey answers scoring 4 or 5; response rate: answered ÷ invited."),
            (
                "Callbacks after incidents",
                "Campaign calls after an incident finished in the range: the time from the customer's first missed "
                    + "attempt to the call that reached them."
            ),
            (
                "Root causes",
                "What we could have done differently: named by reps in wrap-up (contacts that arrived in the range), "
                    + "by customers in surveys and in challenge closings, with their count by ISO week."
            ),
            ("Heated, abusive", "Contacts flagged so in wrap-up, by the rep or a supervisor."),
        ]
    }
}
