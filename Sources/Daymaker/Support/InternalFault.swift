/// Something that cannot happen unless Daymaker or its database is broken. The client gets a 500 with the request
/// id; the log gets this message, which never holds a request's or a record's values.
struct InternalFault: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
