import Foundation
import NIOCore

/// Everything Daymaker reads from its environment, read once at start-up.
///
/// A malformed value stops start-up with an `AppConfig.Error` that names the variable.
public struct AppConfig: Sendable, Equatable {
    public enum DatabaseConfig: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String, poolSize: Int, schema: String? = nil)
    }

    public var database: DatabaseConfig
    public var host: String
    public var port: Int
    /// Where people reach Daymaker (links in mail, survey links, the Secure cookie flag).
    public var publicURL: URL
    /// Secret for signing CSRF tokens; shared by every instance behind one load balancer.
    public var sessionSecret: String
    /// True when no secret was configured and one was made up for this process.
    public var sessionSecretIsEphemeral: Bool
    /// bcrypt cost for new password hashes (10–15; each step doubles the work of a sign-in).
    public var passwordCost: Int
    /// Threads serving requests (event loops); nil: one per core.
    public var eventLoops: Int?

    /// Served over https: cookies are `Secure` and `__Host-` prefixed, and browsers are told to keep to https.
    public var usesHTTPS: Bool { publicURL.scheme == "https" }
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed (sign-in limits per client address).
    public var trustedProxies: Set<String>
    /// The SMTP server for mail; nil: none configured, no mail is sent.
    public var mail: MailConfig?

    /// A cookie's name: `__Host-` prefixed over https (Secure, whole site, this host only).
    public func cookieName(_ name: String) -> String { usesHTTPS ? "__Host-" + name : name }

    public struct Error: Swift.Error, CustomStringConvertible, Equatable {
        public let variable: String
        public let problem: String
        public var description: String { "Configuration error in \(variable): \(problem)" }
    }

    /// Builds the configuration from environment variables.
    ///
    /// - Parameters:
    ///   - environment: the process environment (`ProcessInfo.processInfo.environment` in production).
    ///   - isProduction: when true, a missing session secret is an error instead of a made-up one.
    public init(environment: [String: String], isProduction: Bool = false) throws {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }

        let poolSize: Int
        if let raw = value("DAYMAKER_DB_POOL_SIZE") {
            guard let size = Int(raw), (1...100).contains(size) else {
                throw Error(
                    variable: "DAYMAKER_DB_POOL_SIZE", problem: "expected a whole number from 1 to 100, got '\(raw)'")
            }
            poolSize = size
        } else {
            poolSize = 8
        }

        if let url = value("DATABASE_URL") {
            guard let components = URLComponents(string: url), Self.isPostgresURL(components) else {
                throw Error(
                    variable: "DATABASE_URL",
                    problem:
                        "expected postgres://user:password@host:5432/database, or postgres+uds://user:password@localhost/path/to/socket#database (the value is not shown)"
                )
            }
            var schema: String?
            if let raw = value("DAYMAKER_DATABASE_SCHEMA") {
                guard raw.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
                    throw Error(
                        variable: "DAYMAKER_DATABASE_SCHEMA", problem: "expected a lower-case schema name, got '\(raw)'"
                    )
                }
                schema = raw
            }
            self.database = .postgres(url: url, poolSize: poolSize, schema: schema)
        } else {
            let path = value("DAYMAKER_SQLITE_PATH") ?? "./daymaker.sqlite"
            let directory = (path as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            if !directory.isEmpty,
                !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue
            {
                throw Error(variable: "DAYMAKER_SQLITE_PATH", problem: "the folder '\(directory)' does not exist")
            }
            self.database = .sqlite(path: path)
        }

        self.host = value("DAYMAKER_HOST") ?? "127.0.0.1"
        if let raw = value("DAYMAKER_PORT") {
            guard let port = Int(raw), (0...65535).contains(port) else {
                throw Error(
                    variable: "DAYMAKER_PORT",
                    problem: "expected a port number from 1 to 65535 (0: any free port), got '\(raw)'")
            }
            self.port = port
        } else {
            self.port = 8080
        }

        if let raw = value("DAYMAKER_PUBLIC_URL") {
            guard let url = URL(string: raw), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw Error(
                    variable: "DAYMAKER_PUBLIC_URL",
                    problem: "expected an http(s) URL such as https://daymaker.example.org, got '\(raw)'")
            }
            self.publicURL = url
        } else {
            self.publicURL = URL(string: "http://\(host):\(port)")!
        }

        if let raw = value("DAYMAKER_PASSWORD_COST") {
            guard let cost = Int(raw), (10...15).contains(cost) else {
                throw Error(
                    variable: "DAYMAKER_PASSWORD_COST", problem: "expected a bcrypt cost from 10 to 15, got '\(raw)'")
            }
            self.passwordCost = cost
        } else {
            self.passwordCost = 12
        }

        if let raw = value("DAYMAKER_EVENT_LOOPS") {
            guard let count = Int(raw), (1...64).contains(count) else {
                throw Error(
                    variable: "DAYMAKER_EVENT_LOOPS", problem: "expected a whole number from 1 to 64, got '\(raw)'")
            }
            self.eventLoops = count
        }

        var proxies: Set<String> = []
        for raw in (value("DAYMAKER_TRUSTED_PROXIES") ?? "").split(separator: ",") {
            let address = raw.trimmingCharacters(in: .whitespaces)
            guard let parsed = try? SocketAddress(ipAddress: address, port: 0), let ip = parsed.ipAddress else {
                throw Error(
                    variable: "DAYMAKER_TRUSTED_PROXIES",
                    problem: "expected IP addresses separated by commas, got '\(address)'")
            }
            proxies.insert(ip)
        }
        self.trustedProxies = proxies

        self.mail = try MailConfig(environment: value, publicHost: publicURL.host ?? "localhost")

        if let secret = value("DAYMAKER_SESSION_SECRET") {
            guard secret.utf8.count >= 32 else {
                throw Error(variable: "DAYMAKER_SESSION_SECRET", problem: "must be at least 32 characters long")
            }
            self.sessionSecret = secret
            self.sessionSecretIsEphemeral = false
        } else if isProduction {
            throw Error(
                variable: "DAYMAKER_SESSION_SECRET", problem: "must be set in production (at least 32 characters)")
        } else {
            self.sessionSecret = SecureToken.random()
            self.sessionSecretIsEphemeral = true
        }
    }

    /// A PostgreSQL server over TCP (`postgres://`, `postgresql://`, with `+tcp` alike) needs a host; one on this
    /// machine over its Unix socket (`postgres+uds://`) the socket's path, and the database after `#`.
    static func isPostgresURL(_ url: URLComponents) -> Bool {
        switch url.scheme {
        case "postgres", "postgresql", "postgres+tcp", "postgresql+tcp": !(url.host ?? "").isEmpty
        case "postgres+uds", "postgresql+uds": !url.path.isEmpty && !(url.fragment ?? "").isEmpty
        default: false
        }
    }
}
