import Vapor

extension Content {
    /// `201 Created` with this body, and `Location` naming where the new record can be read (`path` spells ids in
    /// lower case, as every answer does: `id.lowercaseText`).
    func created(at path: String, for req: Request) async throws -> Response {
        let response = try await encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: path)
        return response
    }
}
