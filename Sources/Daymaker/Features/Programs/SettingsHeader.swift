import Fluent

/// The top of each of a program's settings pages (`settings/header.leaf`): links to its sibling pages for the same
/// program, and a picker of the programs the supervisor sees.
struct SettingsHeader: Encodable {
    struct Link: Encodable {
        let label: String
        let href: String
        let current: Bool
    }

    /// This page's path, where the picker sends.
    let path: String
    let links: [Link]
    let programs: [ProgramOption]
    let program: String
    let programName: String

    /// The settings pages, in the order they are linked.
    static let pages = [
        (label: "Recognition settings", path: "/settings/recognition"),
        (label: "Tags and root causes", path: "/settings/vocabulary"), (label: "Surveys", path: "/settings/surveys"),
    ]

    init(path: String, program: Program, principal: Principal, on db: any Database) async throws {
        self.path = path
        self.links = Self.pages.map {
            Link(label: $0.label, href: "\($0.path)?program=\(program.code)", current: $0.path == path)
        }
        self.programs = ProgramOption.list(try await Program.visible(to: principal, on: db), selected: program)
        self.program = program.code
        self.programName = program.name
    }
}
