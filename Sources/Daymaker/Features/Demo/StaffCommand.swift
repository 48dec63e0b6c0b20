import DaymakerCore
import Fluent
import Foundation
import Vapor

/// `daymaker staff --reps 500`: staffs the generated programs for a routing benchmark: that many reps across them
/// (adding reps where `generate` made fewer), each on shift around the clock and available.
struct StaffCommand: DaymakerCommand {
    struct Signature: CommandSignature {
        @Option(name: "reps", help: "How many reps across the generated programs, 3 to 5000 (default 500)")
        var reps: String?
    }

    var help: String { "Put reps of the generated programs on shift around the clock and available (for benchmarks)" }
    var examples: [String] { ["daymaker staff --reps 500"] }

    func run(using context: CommandContext, signature: Signature) async throws {
        let total = try CommandLineInput.number(signature.reps, "reps", in: 3...5000) ?? 500
        let app = context.application
        let db = app.db
        let codes = DataGenerator.programs.map(\.code)
        let programs = try await Program.query(on: db).filter(\.$code ~~ codes).all()
        guard programs.count == codes.count else { throw GeneratorError.notGenerated }
        let hash = try await app.hashPassword(SecureToken.random())
        let now = app.clock.now
        for (index, program) in programs.sorted(by: { $0.code < $1.code }).enumerated() {
            let wanted = total / programs.count + (index < total % programs.count ? 1 : 0)
            let programID = try program.requireID()
            var reps = try await User.activeMembers(of: programID, on: db).filter { $0.role == .rep }
            while reps.count < wanted {
                let number = reps.count + 1
                let user = User(
                    email: "staff\(number)@\(program.code.lowercased()).generated.test",
                    fullName: "Staff \(number) \(program.code)",
                    displayName: DataGenerator.firstNames[number % DataGenerator.firstNames.count], role: .rep,
                    passwordHash: hash)
                try await user.create(on: db)
                try await user.$programs.attach(program, on: db)
                reps.append(user)
            }
            for rep in reps.prefix(wanted) {
                let repID = try rep.requireID()
                try await db.writeTransaction { db in
                    try await RepShift.query(on: db).filter(\.$user.$id == repID).filter(\.$program.$id == programID)
                        .delete()
                    for weekday in 1...7 {
                        let shift = RepShift()
                        shift.$user.id = repID
                        shift.$program.id = programID
                        shift.weekday = weekday
                        shift.start = 0
                        shift.end = 1440
                        try await shift.create(on: db)
                    }
                }
                _ = try await RepPresence.set(.available, userID: repID, by: nil, until: nil, now: now, on: db)
            }
            context.console.print("\(program.code): \(wanted) reps on shift around the clock and available.")
        }
    }
}
