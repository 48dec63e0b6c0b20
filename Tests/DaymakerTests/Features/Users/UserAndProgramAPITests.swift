import DaymakerCore
import Fluent
import Foundation
import Testing
import Vapor

@testable import Daymaker

@Suite struct UserAndProgramAPITests {
    @Test func adminCreatesAProgramAndAUserInIt() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let program = try await app.send(
                .POST, "/api/v1/programs", token: world.admin.token,
                json: #"{"code":"util","name":"City Utilities","timeZone":"America/New_York","country":"us"}"#)
            #expect(program.status == .created)
            let dto = try program.json(ProgramDTO.self)
            #expect(dto.code == "UTIL")
            #expect(dto.country == "US")
            let user = try await app.send(
                .POST, "/api/v1/users", token: world.admin.token,
                json: """
                    {"email":"New.Rep@Test.example","fullName":"Nia Okafor","role":"rep","password":"a long password","programs":["UTIL","RIDE"]}
                    """)
            #expect(user.status == .created)
            let created = try user.json(UserDTO.self)
            #expect(created.email == "new.rep@test.example")
            #expect(created.displayName == "Nia")
            #expect(created.programs == ["RIDE", "UTIL"])
            #expect(!user.body.string.contains("password"))
            // Email uniqueness ignores case.
            let duplicate = try await app.send(
                .POST, "/api/v1/users", token: world.admin.token,
                json: """
                    {"email":"NEW.REP@test.example","fullName":"Someone","role":"rep","password":"a long password"}
                    """)
            #expect(duplicate.status == .conflict)
            let audit = try await AuditEntry.query(on: app.db).all().map(\.action)
            #expect(audit.contains("program.created"))
            #expect(audit.contains("user.created"))
        }
    }

    @Test func invalidProgramsAndUsersAreProblems() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let program = try await app.send(
                .POST, "/api/v1/programs", token: world.admin.token,
                json: #"{"code":"a b","name":"","timeZone":"Chicago","country":"ZZ"}"#)
            #expect(Set(try program.problem().errors?.map(\.field) ?? []) == ["code", "name", "timeZone", "country"])
            let user = try await app.send(
                .POST, "/api/v1/users", token: world.admin.token,
                json: #"{"email":"nope","fullName":"X","role":"rep","password":"short","programs":["NONE"]}"#)
            #expect(Set(try user.problem().errors?.map(\.field) ?? []) == ["email", "password", "programs[0]"])
            let role = try await app.send(
                .POST, "/api/v1/users", token: world.admin.token,
                json: #"{"email":"a@b.org","fullName":"X","role":"boss","password":"long enough pw"}"#)
            #expect(try role.problem().errors?.map(\.field) == ["role"])
        }
    }

    @Test func permissionChangesAreAuditedAndTakeEffect() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let response = try await app.send(
                .PATCH, "/api/v1/users/\(world.rep.id)", token: world.admin.token,
                json: #"{"role":"supervisor","programs":["RIDE","HELP"]}"#)
            #expect(response.status == .ok)
            #expect(try response.json(UserDTO.self).programs == ["HELP", "RIDE"])
            let entry = try #require(
                try await AuditEntry.query(on: app.db)
                    .filter(\.$action == "user.permissions-changed").filter(\.$recordID == world.rep.id).first())
            #expect(entry.actorID == world.admin.id)
            #expect(entry.detail.contains("role rep → supervisor"))
            #expect(entry.detail.contains("programs RIDE → HELP,RIDE"))
            // The rep now sees the other program's customer.
            #expect(
                try await app.send(.GET, "/api/v1/customers/\(world.helpCustomer.id!)", token: world.rep.token).status
                    == .ok)
        }
    }

    @Test func adminsCannotLockThemselvesOut() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let response = try await app.send(
                .PATCH, "/api/v1/users/\(world.admin.id)", token: world.admin.token, json: #"{"role":"rep"}"#)
            #expect(response.status == .conflict)
            #expect(try await User.find(world.admin.id, on: app.db)?.role == .admin)
        }
    }

    @Test func tokensAreStoredHashedAndTheirCreationAudited() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let tokens = try await APIToken.query(on: app.db).all()
            #expect(!tokens.contains { $0.tokenHash == world.rep.token })
            #expect(tokens.contains { $0.tokenHash == SecureToken.hash(world.rep.token) })
            #expect(world.rep.token.hasPrefix("dmk_"))
            let audited = try await AuditEntry.query(on: app.db).filter(\.$action == "token.created").count()
            #expect(audited == 4)
            let refused = await #expect(throws: ValidationFailure.self) {
                try await APITokens.create(
                    for: world.rep.user, name: "x", scopeNames: ["admin"], actor: nil, now: app.clock.now, on: app.db)
            }
            #expect(refused?.fields == ["scope"])
        }
    }

    @Test func meReturnsTheCaller() async throws {
        try await withApp { app in
            let world = try await World.make(on: app)
            let me = try await app.send(.GET, "/api/v1/me", token: world.supervisor.token).json(MeDTO.self).user
            #expect(me.id == world.supervisor.id)
            #expect(me.role == .supervisor)
            #expect(me.programs == ["RIDE"])
        }
    }
}
