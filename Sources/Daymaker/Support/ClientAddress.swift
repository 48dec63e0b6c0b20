import NIOCore
import Vapor

extension Request {
    /// The client's IP address: the peer's, or, when the peer is a trusted reverse proxy
    /// (`DAYMAKER_TRUSTED_PROXIES`), the nearest address in `X-Forwarded-For` that is not one of them.
    /// Without a peer address (requests made inside the process) it is `local`.
    var clientAddress: String {
        guard let peer = remoteAddress?.ipAddress else { return "local" }
        let proxies = application.config.trustedProxies
        guard proxies.contains(peer) else { return peer }
        let hops = headers[.xForwardedFor].flatMap { $0.split(separator: ",") }
        for hop in hops.reversed() {
            guard
                let address = try? SocketAddress(ipAddress: hop.trimmingCharacters(in: .whitespaces), port: 0).ipAddress
            else { return peer }
            if !proxies.contains(address) { return address }
        }
        return peer
    }
}
