import Daymaker
import Logging
import Vapor

@main
enum Entrypoint {
    static func main() async {
        var env: Environment
        do {
            env = try Environment.detect()
            try LoggingSystem.bootstrap(from: &env)
        } catch {
            FileHandle.standardError.write(Data("daymaker: \(error)\n".utf8))
            exit(1)
        }
        do {
            let config = try AppConfig(
                environment: ProcessInfo.processInfo.environment, isProduction: env == .production)
            // The event loops: one per core (NIO's shared group) unless DAYMAKER_EVENT_LOOPS says how many.
            let group = config.eventLoops.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) }
            let app = try await Application.make(env, group.map { .shared($0) } ?? .singleton)
            do {
                try await configure(app, config: config)
                // As `app.execute()` does, without logging a command's failure a second time.
                try await app.startup()
                try await app.running?.onStop.get()
                try await app.asyncShutdown()
                try await group?.shutdownGracefully()
            } catch {
                try? await app.asyncShutdown()
                try? await group?.shutdownGracefully()
                throw error
            }
        } catch let error as AppConfig.Error {
            FileHandle.standardError.write(Data("daymaker: \(error.description)\n".utf8))
            exit(2)
        } catch is ExitCode {
            exit(1)
        } catch let error as CommandError {
            FileHandle.standardError.write(Data("daymaker: \(error)\nRun `daymaker --help` for the commands.\n".utf8))
            exit(1)
        } catch {
            FileHandle.standardError.write(Data("daymaker: \(error)\n".utf8))
            exit(1)
        }
    }
}
