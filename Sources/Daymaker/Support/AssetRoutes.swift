import DaymakerCore
import Foundation
import Vapor

/// Serves the stylesheet and scripts under `/css/` and `/js/`, as routes rather than a middleware that would
/// look at the path of every request (the API's included) for a file. Only the files shipped in the bundle are
/// served; anything else under those folders is a 404.
struct AssetRoutes: RouteCollection {
    static let folders = ["css", "js"]
    /// The bundle's `Public` folder, ending in `/`.
    let publicDirectory: String
    /// The files shipped, as `folder/name`.
    let files: Set<String>

    init(publicDirectory: String) {
        self.publicDirectory = publicDirectory
        files = Set(
            Self.folders.flatMap { folder in
                ((try? FileManager.default.contentsOfDirectory(atPath: publicDirectory + folder)) ?? []).map {
                    "\(folder)/\($0)"
                }
            })
    }

    func boot(routes: any RoutesBuilder) throws {
        for folder in Self.folders {
            routes.get(.constant(folder), ":file") { req async throws -> Response in
                guard let name = req.parameters.get("file"), files.contains("\(folder)/\(name)") else {
                    throw NotFound("The requested page")
                }
                let response = try await req.fileio.asyncStreamFile(at: publicDirectory + folder + "/" + name)
                // Shipped files hold nothing personal: cached, but checked against their ETag on each use.
                response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
                return response
            }
        }
    }
}
