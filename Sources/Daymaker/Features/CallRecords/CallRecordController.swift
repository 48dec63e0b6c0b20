import DaymakerCore
import Fluent
import Vapor

/// What an import of call records did, as the API answers it.
struct CallRecordImportDTO: Content, Equatable {
    var rows: Int
    var kept: Int
    var duplicates: Int
    var missed: Int
    var gotThrough: Int
    var rejected: [ImportReport.Rejected]

    init(_ report: CallRecordImport.Report) {
        rows = report.rows
        kept = report.kept
        duplicates = report.duplicates
        missed = report.missed
        gotThrough = report.gotThrough
        rejected = report.rejected.map { .init(line: $0.line, errors: $0.errors) }
    }
}

/// `POST /api/v1/imports/cdr?program=CODE[&format=freeswitch|csv][&map=…][&zone=UTC]`: a PBX's call records as the
/// request body (`text/csv`, or the part named `file` of a browser's `multipart/form-data` upload), read as it
/// arrives (a file of any size); supervisors of the program.
struct CallRecordController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "imports", "cdr", body: .stream, use: importCDR)
    }

    @Sendable func importCDR(req: Request) async throws -> CallRecordImportDTO {
        let principal = try req.requirePrincipal()
        try principal.require(.supervisor)
        guard let code = req.query[String.self, at: "program"]?.nilIfBlank else {
            throw ValidationFailure(field: "program", "is required: the program's code")
        }
        let program = try await Program.visible(code: code, to: principal, on: req.db)
        let format = try CallRecordImport.format(req.query[String.self, at: "format"])
        let zone = try CallRecordImport.zone(req.query[String.self, at: "zone"])
        var importer = CallRecordImport(
            program: program, format: format, mapping: req.query[String.self, at: "map"], zone: zone, now: req.now,
            events: req.application.events)
        switch req.headers.contentType {
        case let type? where type.type == "text" && type.subType == "csv":
            for try await chunk in req.body { try await importer.read(chunk.readableBytesView, on: req.db) }
        case let type? where type.type == "multipart" && type.subType == "form-data":
            guard let boundary = type.parameters["boundary"], !boundary.isEmpty else {
                throw ValidationFailure(field: "file", "the multipart body names no boundary")
            }
            try await Self.readFilePart(of: req, boundary: boundary, into: &importer)
        default:
            throw Problem(
                slug: "unsupported-media-type", title: "Unsupported media type", status: .unsupportedMediaType,
                detail: "Send the call records as text/csv, or as the part named file of multipart/form-data.")
        }
        let report = try await importer.finish(on: req.db)
        guard report.rows > 0 else { throw ValidationFailure(field: "file", "is empty") }
        // Not one row is a call record: the wrong file or format, refused as a whole (nothing was stored).
        guard report.kept + report.duplicates > 0 else {
            throw ValidationFailure(
                report.rejected.prefix(10).flatMap { rejected in
                    rejected.errors.map { FieldError(field: "line \(rejected.line): \($0.field)", detail: $0.detail) }
                })
        }
        try await AuditEntry.record(
            on: req.db, at: req.now, actor: principal.userID, action: "call-records.imported", recordType: "program",
            recordID: program.id, programID: program.id,
            detail: "\(report.rows) rows, \(report.kept) kept, \(report.rejected.count) rejected")
        return CallRecordImportDTO(report)
    }

    /// Streams the part named `file` of a `multipart/form-data` body into the importer, chunk by chunk as it
    /// arrives; the other parts are skipped.
    private static func readFilePart(
        of req: Request, boundary: String, into importer: inout CallRecordImport
    ) async throws {
        final class Part {
            var isFile = false
            var sawFile = false
            var pending: [ByteBuffer] = []
        }
        let part = Part()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in
            guard name.lowercased() == "content-disposition" else { return }
            part.isFile = value.split(separator: ";").contains {
                let parameter = $0.trimmingCharacters(in: .whitespaces)
                return parameter == #"name="file""# || parameter == "name=file"
            }
            part.sawFile = part.sawFile || part.isFile
        }
        parser.onBody = { buffer in if part.isFile { part.pending.append(buffer) } }
        parser.onPartComplete = { part.isFile = false }
        for try await chunk in req.body {
            do {
                try parser.execute(chunk)
            } catch {
                throw ValidationFailure(field: "file", "the multipart body is malformed")
            }
            for buffer in part.pending { try await importer.read(buffer.readableBytesView, on: req.db) }
            part.pending.removeAll(keepingCapacity: true)
        }
        guard part.sawFile else {
            throw ValidationFailure(field: "file", "is missing: send the records as the form's part named file")
        }
    }
}
