import Foundation
import Testing

@testable import Daymaker

/// The card is written by `JSONWriter` for speed; it must be the document `JSONEncoder` would write, except that
/// every key is there (`null` where `JSONEncoder` leaves a nil out).
@Suite struct RecognitionJSONTests {
    static let at = Date(timeIntervalSince1970: 1_795_449_600)  // whole seconds, as the API writes them

    static func card(gap: Double?, tricky: String) -> RecognitionCard {
        let rep = RecognitionCard.Rep(id: UUID(), displayName: "Sarah")
        return RecognitionCard(
            customer: .init(
                id: UUID(), customerNumber: "100001", name: "John \"Jack\" Miller", preferredName: nil, program: "RIDE"),
            regular: true, usualGapDays: gap, daysSinceLastContact: 12, missedYou: true, greeting: tricky,
            lastContacts: [
                .init(
                    id: UUID(), at: at, channel: .voice, direction: .inbound, status: .ended, reason: "Ride",
                    summary: tricky, resolution: .followUp, rep: "Sarah"),
                .init(
                    id: UUID(), at: at.addingTimeInterval(-86_400), channel: .email, direction: .outbound,
                    status: .abandoned,
                    reason: nil, summary: nil, resolution: nil, rep: nil),
            ],
            bond: .init(mostHelpedBy: rep, contactsWithMostHelped: 7, lastHelpedBy: nil, preferredRep: rep),
            openMatters: [
                .init(
                    kind: "contact", contactId: UUID(), at: at, reason: nil, summary: "Refund", resolution: .unresolved)
            ],
            upcomingBookings: [
                .init(
                    id: UUID(), kind: "ride", startsAt: at, pickUp: "12 Elm St / back door", dropOff: nil,
                    notes: "", status: .scheduled)
            ],
            careNotes: [
                .init(
                    id: UUID(), kind: .bereavement, text: "Wife passed\nin September", guidance: "Be gentle",
                    author: "Maria", createdAt: at, reviewOn: "2027-01-15")
            ])
    }

    static let tricky = "Quotes \" backslash \\ slash / tab \t newline \n bell \u{07} unit \u{1F} emoji 🚐 café"

    static func json(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    /// The document without its `null` members.
    static func withoutNulls(_ value: Any) -> Any {
        switch value {
        case let object as [String: Any]: object.filter { !($0.value is NSNull) }.mapValues(withoutNulls)
        case let array as [Any]: array.map(withoutNulls)
        default: value
        }
    }

    @Test(arguments: [nil, 1.0, 2.5, 0.1])
    func theWriterAndJSONEncoderWriteTheSameDocument(gap: Double?) throws {
        let response = RecognitionResponse(
            identifier: .init(kind: "phone", value: "+13125550142", withheld: false),
            matches: [Self.card(gap: gap, tricky: Self.tricky), Self.card(gap: nil, tricky: "")],
            newCallerGreeting: nil)
        var writer = JSONWriter()
        response.write(to: &writer)
        let written = Data(writer.bytes)

        let document = try Self.json(written)
        let encoded = try Self.json(try JSONEncoder.daymaker.encode(response))
        #expect(Self.withoutNulls(document) as? NSDictionary == encoded)
        #expect(try JSONDecoder.daymaker.decode(RecognitionResponse.self, from: written) == response)
        // Keys without a value are there, as null.
        let second = try #require((document["matches"] as? [[String: Any]])?.last)
        #expect(second["usualGapDays"] is NSNull)
        #expect((second["customer"] as? [String: Any])?["preferredName"] is NSNull)
        #expect((second["bond"] as? [String: Any])?["lastHelpedBy"] is NSNull)
        #expect(document["newCallerGreeting"] is NSNull)
    }

    @Test func aNewCallerHasNoMatchesAndAGreeting() throws {
        let response = RecognitionResponse(
            identifier: .init(kind: "phone", value: nil, withheld: true), matches: [], newCallerGreeting: "Hello!")
        var writer = JSONWriter()
        response.write(to: &writer)
        #expect(
            String(decoding: writer.bytes, as: UTF8.self)
                == #"{"identifier":{"kind":"phone","value":null,"withheld":true},"matches":[],"newCallerGreeting":"Hello!"}"#
        )
    }
}
