import DaymakerCore
import PostgresNIO
import SQLiteNIO
import Vapor

/// What an error may say in the log: its kind and cause, never the values of the request or the row (database
/// errors' details and decoding errors' values can hold names, numbers and addresses).
enum LogSafe {
    static func describe(_ error: any Error) -> String {
        let type = String(reflecting: Swift.type(of: error))
        switch error {
        case let postgres as PSQLError:
            // The server's message names the constraint or the statement's fault; its detail (not logged) the values.
            let state = postgres.serverInfo?[.sqlState] ?? "-"
            let message = postgres.serverInfo?[.message] ?? "\(postgres.code)"
            return "\(type) \(postgres.code) sqlState=\(state): \(message)"
        case let sqlite as SQLiteError:
            return "\(type): \(sqlite)"
        case let decoding as DecodingError:
            return "\(type) at \(codingPath(decoding))"
        case let abort as any AbortError:
            return "\(type) \(abort.status.code)"
        default:
            return "\(type): \(String(String(describing: error).prefix(200)))"
        }
    }

    private static func codingPath(_ error: DecodingError) -> String {
        let path: [any CodingKey]
        switch error {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        @unknown default: path = []
        }
        return path.map(\.stringValue).joined(separator: ".")
    }
}
