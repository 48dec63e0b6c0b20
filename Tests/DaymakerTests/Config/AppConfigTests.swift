import Foundation
import Testing

@testable import Daymaker

@Suite struct AppConfigTests {
    @Test func defaultsToSQLiteOnLoopback() throws {
        let config = try AppConfig(environment: [:])
        #expect(config.database == .sqlite(path: "./daymaker.sqlite"))
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.publicURL.absoluteString == "http://127.0.0.1:8080")
        #expect(config.sessionSecretIsEphemeral)
        #expect(!config.usesHTTPS)
    }

    @Test func databaseURLSelectsPostgreSQL() throws {
        let config = try AppConfig(environment: [
            "DATABASE_URL": "postgres://daymaker:secret@db.internal:5432/daymaker", "DAYMAKER_DB_POOL_SIZE": "12",
        ])
        #expect(config.database == .postgres(url: "postgres://daymaker:secret@db.internal:5432/daymaker", poolSize: 12))
    }

    @Test func mailGoesThroughTheSMTPServerNamedWithSTARTTLSUnlessToldOtherwise() throws {
        #expect(try AppConfig(environment: [:]).mail == nil)
        let mail = try #require(
            try AppConfig(environment: [
                "DAYMAKER_SMTP_HOST": "smtp.example.com", "DAYMAKER_SMTP_FROM": "noreply@example.com",
                "DAYMAKER_SMTP_USERNAME": "daymaker", "DAYMAKER_SMTP_PASSWORD": "secret",
                "DAYMAKER_PUBLIC_URL": "https://daymaker.example.com",
            ]).mail)
        #expect(mail.port == 587 && mail.security == .starttls && mail.heloName == "daymaker.example.com")
        #expect(mail.username == "daymaker" && mail.password == "secret")
        for (environment, variable) in [
            (["DAYMAKER_SMTP_HOST": "smtp.example.com"], "DAYMAKER_SMTP_FROM"),
            (
                ["DAYMAKER_SMTP_HOST": "h", "DAYMAKER_SMTP_FROM": "a@b.co", "DAYMAKER_SMTP_PORT": "0"],
                "DAYMAKER_SMTP_PORT"
            ),
            (
                ["DAYMAKER_SMTP_HOST": "h", "DAYMAKER_SMTP_FROM": "a@b.co", "DAYMAKER_SMTP_SECURITY": "ssl"],
                "DAYMAKER_SMTP_SECURITY"
            ),
            (
                ["DAYMAKER_SMTP_HOST": "h", "DAYMAKER_SMTP_FROM": "a@b.co", "DAYMAKER_SMTP_USERNAME": "u"],
                "DAYMAKER_SMTP_PASSWORD"
            ),
            (
                ["DAYMAKER_SMTP_HOST": "h", "DAYMAKER_SMTP_FROM": "a@b.co", "DAYMAKER_SMTP_CA_FILE": "/nonexistent"],
                "DAYMAKER_SMTP_CA_FILE"
            ),
        ] {
            #expect(throws: AppConfig.Error.self) { try AppConfig(environment: environment) }
            do {
                _ = try AppConfig(environment: environment)
            } catch let error as AppConfig.Error {
                #expect(error.variable == variable)
            }
        }
    }

    @Test func eventLoopsAreOnePerCoreUnlessSet() throws {
        #expect(try AppConfig(environment: [:]).eventLoops == nil)
        #expect(try AppConfig(environment: ["DAYMAKER_EVENT_LOOPS": "8"]).eventLoops == 8)
    }

    @Test func aPostgreSQLServerOnThisMachineCanBeReachedByItsSocket() throws {
        let url = "postgres+uds://daymaker:secret@localhost/var/run/postgresql/.s.PGSQL.5432#daymaker"
        let config = try AppConfig(environment: ["DATABASE_URL": url])
        #expect(config.database == .postgres(url: url, poolSize: 8))
    }

    @Test func httpsPublicURLMakesCookiesSecure() throws {
        let config = try AppConfig(environment: [
            "DAYMAKER_PUBLIC_URL": "https://daymaker.example.org",
            "DAYMAKER_SESSION_SECRET": String(repeating: "s", count: 40),
        ])
        #expect(config.usesHTTPS)
        #expect(!config.sessionSecretIsEphemeral)
    }

    @Test(arguments: [
        (["DAYMAKER_PORT": "eighty"], "DAYMAKER_PORT"),
        (["DAYMAKER_PORT": "70000"], "DAYMAKER_PORT"),
        (["DATABASE_URL": "mysql://localhost/db"], "DATABASE_URL"),
        (["DATABASE_URL": "not a url"], "DATABASE_URL"),
        (["DATABASE_URL": "postgres:///daymaker"], "DATABASE_URL"),
        (["DATABASE_URL": "postgres+uds://daymaker:secret@localhost#daymaker"], "DATABASE_URL"),
        (["DATABASE_URL": "postgres+uds://daymaker:secret@localhost/var/run/postgresql/.s.PGSQL.5432"], "DATABASE_URL"),
        (["DAYMAKER_PUBLIC_URL": "daymaker.example.org"], "DAYMAKER_PUBLIC_URL"),
        (["DAYMAKER_SESSION_SECRET": "short"], "DAYMAKER_SESSION_SECRET"),
        (["DAYMAKER_DB_POOL_SIZE": "0"], "DAYMAKER_DB_POOL_SIZE"),
        (["DAYMAKER_PASSWORD_COST": "4"], "DAYMAKER_PASSWORD_COST"),
        (["DAYMAKER_EVENT_LOOPS": "0"], "DAYMAKER_EVENT_LOOPS"),
        (["DAYMAKER_EVENT_LOOPS": "many"], "DAYMAKER_EVENT_LOOPS"),
        (["DAYMAKER_TRUSTED_PROXIES": "10.0.0.1, proxy.local"], "DAYMAKER_TRUSTED_PROXIES"),
        (["DAYMAKER_SQLITE_PATH": "/no/such/folder/daymaker.sqlite"], "DAYMAKER_SQLITE_PATH"),
    ])
    func malformedValueNamesTheVariable(environment: [String: String], variable: String) {
        #expect {
            try AppConfig(environment: environment)
        } throws: { error in
            (error as? AppConfig.Error)?.variable == variable
                && (error as? AppConfig.Error)?.description.contains(variable) == true
        }
    }

    @Test func productionRequiresASessionSecret() {
        #expect(throws: AppConfig.Error.self) { try AppConfig(environment: [:], isProduction: true) }
    }

    @Test func databasePasswordNeverAppearsInTheError() {
        do {
            _ = try AppConfig(environment: ["DATABASE_URL": "mysql://user:hunter2@localhost/db"])
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }
}
