/// A program in a page's program picker.
struct ProgramOption: Encodable {
    let code: String
    let name: String
    let selected: Bool

    static func list(_ programs: [Program], selected: Program) -> [ProgramOption] {
        programs.map { ProgramOption(code: $0.code, name: $0.name, selected: $0.id == selected.id) }
    }
}
