import FluentKit
import Foundation
import SQLKit
import Testing
import Vapor

@testable import Daymaker

/// Write transactions from many requests at once, in more than one app of a process, all finish.
///
/// Every SQLite connection of a process runs its statements on one small pool of blocking threads (two on this
/// machine). If a transaction waiting for the file's write lock waited on such a thread, two waiters would leave
/// none for the transactions holding the locks, and every one of them would hang. (The time limit turns a hang into
/// a failure; it is generous because the two apps may first wait for the suite's other tests.)
@Suite struct WriteTransactionTests {
    @Test(.timeLimit(.minutes(5))) func manyWriteTransactionsAtOnceAllFinish() async throws {
        try await withApp { first in
            try await withApp { second in
                let ride = try await World.make(on: first).ride.id!
                let help = try await World.make(on: second).help.id!
                try await withThrowingTaskGroup { group in
                    for (app, program) in [(first, ride), (second, help)] {
                        for _ in 0..<12 {
                            group.addTask {
                                try await app.db.writeTransaction { tx in
                                    let sql = try tx.sqlDatabase
                                    try await sql.raw("SELECT name FROM programs WHERE id = \(bind: program)").run()
                                    try await Task.sleep(for: .milliseconds(5))
                                    try await sql.raw(
                                        "UPDATE programs SET name = name || '+' WHERE id = \(bind: program)"
                                    ).run()
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                for (app, program) in [(first, ride), (second, help)] {
                    let name = try #require(try await Program.find(program, on: app.db)).name
                    #expect(name.hasSuffix(String(repeating: "+", count: 12)))
                }
            }
        }
    }
}
