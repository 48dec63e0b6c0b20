import DaymakerCore
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import LeafKit
import SQLKit
import Vapor

/// Sets up an application: database, migrations, middleware, views, routes and commands.
///
/// - Parameters:
///   - app: the application to configure.
///   - config: the configuration, normally `AppConfig(environment:)`.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.config = config
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    app.routes.defaultMaxBodySize = Limits.body
    // Daymaker sets up no metrics backend, so Vapor's per-request counters and timers would go nowhere.
    app.http.server.configuration.reportMetrics = false

    PhoneNumber.loadMetadata()
    let hub = EventHub()
    let caches = ShortLivedCaches()
    hub.subscribe { caches.forget($0) }
    app.cached = caches
    let (feed, writer, reads) = try await configureDatabase(app, config.database, hub: hub)
    app.events = Events(
        hub: hub, feed: feed, sqliteWriter: writer, rosters: caches.rosters,
        routingSettings: caches.routingSettings, mailConfigured: config.mail != nil)
    app.lifecycle.use(BackgroundReadsShutdown(reads: app.events.backgroundReads))
    if app.environment != .testing {
        app.lifecycle.use(RoutingTicker.loop())
        app.lifecycle.use(OutboxSender.loop(app))
        app.lifecycle.use(InsightRollups.loop())
    }
    app.cardSources = CardSources(reads: reads, repNames: caches.repNames)
    app.signInGate = SignInGate(clock: app.clock)
    app.migrations.addDaymakerMigrations()

    // Views and assets ship inside the module's resource bundle, so Daymaker runs from any working directory.
    let resources = DaymakerAssets.url
    let views = resources.appendingPathComponent("Views").path + "/"
    app.views.use(.leaf)
    app.leaf.configuration = LeafConfiguration(rootDirectory: views)
    // The bundle may sit under a hidden folder (.build), so the "visible files only" limit is left out.
    app.leaf.sources = .singleSource(
        NIOLeafFiles(
            fileio: app.fileio, limits: [.toSandbox, .requireExtensions, .onlyLeafExtensions],
            sandboxDirectory: views, viewDirectory: views))
    app.leaf.cache.isEnabled = app.environment != .development

    ContentConfiguration.global.use(encoder: JSONEncoder.daymaker, for: .json)
    ContentConfiguration.global.use(decoder: JSONDecoder.daymaker, for: .json)

    app.middleware = Middlewares()
    // Outermost first: security headers wrap everything, so error pages and problems carry them too.
    app.middleware.use(SecurityHeadersMiddleware(config: config))
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(ProblemMiddleware())

    try routes(app)
    try app.register(collection: AssetRoutes(publicDirectory: resources.appendingPathComponent("Public").path + "/"))
    app.routeMethods = RouteMethods(app.routes)
    registerCommands(app)
}

/// Sets up the database. Returns the recognition card's reads for it; on PostgreSQL, the feed that carries events
/// between instances, listening; on SQLite, the connection contact events are written on.
private func configureDatabase(
    _ app: Application, _ database: AppConfig.DatabaseConfig, hub: EventHub
) async throws -> (PostgresEventFeed?, SQLiteWriter?, any RecognitionReads) {
    let eventLoops = max(1, Array(app.eventLoopGroup.makeIterator()).count)
    switch database {
    case .sqlite(let path):
        // The card's reads go through the file's own read-only connections (see `SQLiteReader`).
        let reader = SQLiteReader(path: path, idleConnections: eventLoops)
        app.lifecycle.use(SQLiteReaderShutdown(reader: reader))
        let writer = SQLiteWriter(path: path, eventLoop: app.eventLoopGroup.any(), logger: app.logger)
        app.lifecycle.use(SQLiteWriterShutdown(writer: writer))
        if app.environment != .testing { app.lifecycle.use(SQLiteCheckpointer(path: path)) }
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
        // Background loops read for long at times (marking every hour of a bulk import, counting a busy day): they
        // have a connection of their own, so a request never waits behind them for its event loop's.
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .background, isDefault: false)
        // WAL lets readers work while a writer writes; it is a property of the file, so setting it once suffices.
        try await app.db.sqlDatabase.raw("PRAGMA journal_mode=WAL").run()
        // The rest is per connection. Fluent keeps one SQLite connection per event loop, so each is set up here.
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let db = app.databases.database(.sqlite, logger: app.logger, on: eventLoop) else { continue }
            for pragma in sqlitePragmas { try await db.sqlDatabase.raw(SQLQueryString(pragma)).run() }
        }
        // The background's reads pass through a day's contacts once: a small cache holds what they read again.
        for pragma in sqlitePragmas + ["PRAGMA cache_size=-8192"] {
            try await app.backgroundDB.sqlDatabase.raw(SQLQueryString(pragma)).run()
        }
        return (nil, writer, CardReads.SQLite(reader: reader))
    case .postgres(let url, let poolSize, let schema):
        var configuration = try SQLPostgresConfiguration(url: url)
        if let schema { configuration.searchPath = [schema] }
        let perLoop = max(1, poolSize / eventLoops)
        app.databases.use(
            .postgres(configuration: configuration, maxConnectionsPerEventLoop: perLoop, sqlLogLevel: .debug), as: .psql
        )
        // Background work that holds a connection for long (counting the insight roll-ups of a busy hour) has
        // connections of its own: requests never wait behind it for their event loop's.
        app.databases.use(
            .postgres(configuration: configuration, maxConnectionsPerEventLoop: 1, sqlLogLevel: .debug),
            as: .background, isDefault: false)
        let feed = PostgresEventFeed(
            configuration: configuration.coreConfiguration, schema: schema, hub: hub, logger: app.logger)
        app.lifecycle.use(PostgresEventFeedShutdown(feed: feed))
        await feed.start()
        return (feed, nil, CardReads.Postgres())
    }
}

/// Per-connection SQLite settings: in WAL mode NORMAL loses no committed data on a crash of the app (only on a
/// power loss, the last transactions); a 32 MB page cache keeps the hot indexes of a large file out of read
/// system calls (with 64 MB the server passed 250 MB RSS in the events benchmark: likely the insight roll-ups'
/// counts of a busy hour filling Fluent's connections' caches with pages nobody reads again). (Memory-mapped reads
/// measured no better on the benchmark and inflate the reported RSS.) A connection that finds the file locked by
/// another writer sleeps and retries for up to 5 s, then reports it: the driver's own handler retries at once and
/// forever, spinning on a blocking thread the lock holder may need.
let sqlitePragmas = ["PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-32768", "PRAGMA busy_timeout=5000"]

private func registerCommands(_ app: Application) {
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(GenerateCommand(), as: "generate")
    app.asyncCommands.use(StaffCommand(), as: "staff")
    app.asyncCommands.use(UserCommand(), as: "user")
    app.asyncCommands.use(TokenCommand(), as: "token")
    app.asyncCommands.use(ProgramCommand(), as: "program")
    app.asyncCommands.use(IncidentCommand(), as: "incident")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(CampaignCommand(), as: "campaign")
}
