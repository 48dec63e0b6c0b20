import Fluent
import Vapor

extension DatabaseID {
    /// PostgreSQL's connections for background loops (see `Application.backgroundDB`).
    static let background = DatabaseID(string: "background")
}

extension Application {
    /// Where background loops work: on PostgreSQL connections apart from the requests' (`DatabaseID.background`),
    /// on SQLite the one database (its single writer is shared whatever the connection).
    var backgroundDB: any Database {
        databases.ids().contains(.background) ? db(.background) : db
    }
}
