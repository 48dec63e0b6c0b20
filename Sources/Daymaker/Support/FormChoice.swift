/// One option of a select, a group of checkboxes or radio buttons on a page: its value, what it reads, and
/// whether it is chosen.
struct FormChoice: Encodable {
    let value: String
    let label: String
    let checked: Bool

    init(value: String, label: String? = nil, checked: Bool) {
        self.value = value
        self.label = label ?? value
        self.checked = checked
    }
}
