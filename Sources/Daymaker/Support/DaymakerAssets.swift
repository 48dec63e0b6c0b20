import Foundation

/// The folder of views, public files and the OpenAPI document, shipped inside the module's resource bundle
/// so Daymaker runs from any working directory.
enum DaymakerAssets {
    static let url: URL = {
        guard let url = Bundle.module.url(forResource: "Assets", withExtension: nil) else {
            fatalError("Daymaker's Assets folder is missing from its resource bundle")
        }
        return url.resolvingSymlinksInPath()
    }()
}
