import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct StaffCommandTests {
    /// `daymaker staff` (the real executable) puts reps of the generated programs on shift and available, adding
    /// reps where `generate` made fewer; before `generate` it stores nothing and says why.
    @Test func staffsTheGeneratedProgramsAroundTheClock() async throws {
        try await withApp { app in
            let daymaker = try CommandLineTests.daymaker(app)
            let refused = try daymaker.run(["staff", "--reps", "9"])
            #expect(refused.status == 1)
            #expect(refused.output.contains("run `daymaker generate` first"), "\(refused.output)")

            _ = try await DataGenerator(customers: 30, contacts: 60, seed: 5, now: app.clock.now).run(app: app)
            let staffed = try daymaker.run(["staff", "--reps", "200"])
            #expect(staffed.status == 0, "\(staffed.output)")
            #expect(staffed.output.contains("METRO: 67 reps on shift around the clock and available."))

            let available = try await PresenceRecord.query(on: app.db).filter(\.$state == .available).all()
            #expect(available.count == 200)
            let shifts = try await RepShift.query(on: app.db).all()
            #expect(shifts.count == 200 * 7)
            #expect(shifts.allSatisfy { $0.start == 0 && $0.end == 1440 })
            for program in try await Program.query(on: app.db).all() {
                let members = try await User.activeMembers(of: program.requireID(), on: app.db)
                let on = Set(available.map(\.$user.id)).intersection(members.map { $0.id! })
                #expect(on.count == (program.code == "NORTH" ? 66 : 67), "\(program.code)")
            }
            // Again: the same reps, nothing doubled.
            #expect(try daymaker.run(["staff", "--reps", "200"]).status == 0)
            #expect(try await RepShift.query(on: app.db).count() == 200 * 7)
            #expect(try await User.query(on: app.db).filter(\.$email ~~ "generated.test").count() == 200)
        }
    }
}
