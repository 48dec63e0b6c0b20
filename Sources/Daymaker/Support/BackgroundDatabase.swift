import Fluent
import Vapor

extension DatabaseID {
    /// The connection background loops work on, apart from the requests' (see `Application.backgroundDB`).
    static let background = DatabaseID(string: "background")
}

extension Application {
    /// Where background loops work: a connection apart from the requests' (`DatabaseID.background`), on the first
    /// event loop, so there is one however many loops serve requests (the loops work one after another). On SQLite
    /// its writes still wait for the one writer, as every write does.
    var backgroundDB: any Database {
        guard databases.ids().contains(.background), let eventLoop = Array(eventLoopGroup.makeIterator()).first,
            let database = databases.database(.background, logger: logger, on: eventLoop)
        else { return db }
        return database
    }
}
