import DaymakerCore
import Fluent
import Foundation

/// A campaign's whole list with outcomes, as CSV: what a manager files after the weekend.
enum CampaignExport {
    static let header = [
        "number", "state", "problem", "customers", "zone", "attempts", "first_attempt_at", "last_attempt_at",
        "channels", "asked_for_callback", "care_notes", "tries", "outcome", "reached", "note", "due_at",
        "finished_at",
    ]

    static func csv(_ campaign: Campaign, on db: any Database) async throws -> String {
        let iso = ISO8601DateFormatter()
        var csv = CSVWriter.row(header)
        var offset = 0
        while true {
            let calls = try await CampaignCall.query(on: db).filter(\.$campaignID == campaign.requireID())
                .sort(\.$priority).sort(\.$firstAttemptAt).sort(\.$id).range(offset..<(offset + 1000)).all()
            let customers = try await CampaignController.customers(of: calls, on: db)
            for call in calls {
                let names = call.customers.compactMap { customers[$0]?.fullName }.joined(separator: "; ")
                csv += CSVWriter.row(
                    [
                        call.number, call.state.rawValue, call.problem ?? "", names, call.zone, "\(call.attempts)",
                        iso.string(from: call.firstAttemptAt), iso.string(from: call.lastAttemptAt), call.channels,
                        call.explicit ? "yes" : "no", call.care ? "yes" : "no", "\(call.tries)",
                        call.outcome?.rawValue ?? "", call.reached ? "yes" : "no", call.note ?? "",
                        call.dueAt.map(iso.string(from:)) ?? "", call.finishedAt.map(iso.string(from:)) ?? "",
                    ], text: call.problem == nil ? [2, 3, 14] : [0, 2, 3, 14])
            }
            if calls.count < 1000 { return csv }
            offset += 1000
        }
    }
}
