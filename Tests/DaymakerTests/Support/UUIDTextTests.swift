import Foundation
import Testing

@testable import Daymaker

@Suite struct UUIDTextTests {
    @Test func matchesFoundationBothWays() {
        for _ in 0..<1000 {
            let id = UUID()
            #expect(id.text == id.uuidString)
            #expect(UUID(text: id.uuidString) == id)
            #expect(UUID(text: id.uuidString.lowercased()) == id)
        }
    }

    @Test(arguments: [
        "", "E621E1F8-C36C-495A-93FC-0C247A3E6E5", "E621E1F8-C36C-495A-93FC-0C247A3E6E5F0",
        "E621E1F8C36C-495A-93FC-0C247A3E6E5F0",
        "G621E1F8-C36C-495A-93FC-0C247A3E6E5F", "E621E1F8-C36C-495A-93FC_0C247A3E6E5F",
        "E621E1F8-C36C-495A-93FC-0C247A3E6E5-",
        "😀621E1F8-C36C-495A-93FC-0C247A3E6E5F",
    ])
    func rejectsWhatFoundationRejects(text: String) {
        #expect(UUID(uuidString: text) == nil)
        #expect(UUID(text: text) == nil)
    }
}
