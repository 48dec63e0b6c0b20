import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends one message over SMTP (RFC 5321): EHLO, STARTTLS (RFC 3207) unless the server is configured without it,
/// AUTH PLAIN (RFC 4954) when credentials are given, then MAIL, RCPT, DATA and QUIT. A reply the conversation does
/// not expect ends it with an `SMTPError` naming the step and the server's code; the password never leaves the
/// AUTH line, and is never logged.
struct SMTPClient: Sendable {
    let config: MailConfig
    let group: any EventLoopGroup

    struct SMTPError: Error, CustomStringConvertible, Equatable {
        let step: String
        let code: Int
        let text: String
        var description: String { "SMTP \(step): \(code) \(text)" }
    }

    func send(from: String, to recipient: String, message: String) async throws {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .connect(host: config.host, port: config.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        // A server that stops answering is hung up on: the next read then ends the conversation.
        let deadline = channel.channel.eventLoop.scheduleTask(in: .seconds(60)) { channel.channel.close(promise: nil) }
        defer { deadline.cancel() }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            func reply(_ step: String, expect: Int) async throws -> [String] {
                var text: [String] = []
                while true {
                    guard let line = try await lines.next() else {
                        throw SMTPError(step: step, code: 0, text: "the server closed the connection")
                    }
                    text.append(String(line.dropFirst(4)))
                    let code = Int(line.prefix(3)) ?? 0
                    guard line.count > 3, line[line.index(line.startIndex, offsetBy: 3)] == "-" else {
                        guard code == expect else {
                            throw SMTPError(step: step, code: code, text: text.joined(separator: " "))
                        }
                        return text
                    }
                }
            }
            func say(_ command: String, _ step: String, expect: Int) async throws -> [String] {
                try await outbound.write(ByteBuffer(string: command + "\r\n"))
                return try await reply(step, expect: expect)
            }
            _ = try await reply("greeting", expect: 220)
            var features = try await say("EHLO \(config.heloName)", "EHLO", expect: 250)
            if config.security == .starttls {
                _ = try await say("STARTTLS", "STARTTLS", expect: 220)
                var tls = TLSConfiguration.makeClientConfiguration()
                if let file = config.caFile { tls.trustRoots = .file(file) }
                // An address is checked against the certificate's IP names; SNI carries host names only.
                let isAddress = (try? SocketAddress(ipAddress: config.host, port: 0)) != nil
                let handler = try NIOSSLClientHandler(
                    context: try NIOSSLContext(configuration: tls), serverHostname: isAddress ? nil : config.host)
                try await channel.channel.pipeline.addHandler(handler, position: .first)
                features = try await say("EHLO \(config.heloName)", "EHLO", expect: 250)
            }
            if let username = config.username {
                guard
                    features.contains(where: { $0.uppercased().hasPrefix("AUTH") && $0.uppercased().contains("PLAIN") })
                else { throw SMTPError(step: "AUTH", code: 0, text: "the server does not offer AUTH PLAIN") }
                let token = Data("\0\(username)\0\(config.password ?? "")".utf8).base64EncodedString()
                _ = try await say("AUTH PLAIN \(token)", "AUTH", expect: 235)
            }
            _ = try await say("MAIL FROM:<\(from)>", "MAIL FROM", expect: 250)
            _ = try await say("RCPT TO:<\(recipient)>", "RCPT TO", expect: 250)
            _ = try await say("DATA", "DATA", expect: 354)
            _ = try await say(Self.dotStuffed(message) + "\r\n.", "message", expect: 250)
            _ = try? await say("QUIT", "QUIT", expect: 221)
        }
    }

    /// A line that starts with a dot gets another (RFC 5321 4.5.2), and every line ends in CRLF.
    static func dotStuffed(_ message: String) -> String {
        message.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
    }

    /// Splits what the server sends into lines, without their CRLF.
    struct LineDecoder: ByteToMessageDecoder {
        typealias InboundOut = String

        mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            guard let end = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.readableBytes > 4096 { throw SMTPError(step: "reply", code: 0, text: "a line too long") }
                return .needMoreData
            }
            let length = end - buffer.readerIndex
            var line = buffer.readString(length: length) ?? ""
            buffer.moveReaderIndex(forwardBy: 1)
            if line.hasSuffix("\r") { line.removeLast() }
            context.fireChannelRead(wrapInboundOut(line))
            return .continue
        }
    }
}
