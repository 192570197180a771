import Foundation

/// step's audience rule: `aud` is `https://<one of dnsNames>[:any port]<path>` or, for old clients, the bare
/// path. The port is ignored because load balancers and port mappings change it.
struct TokenAudience: Sendable {
    let dnsNames: Set<String>
    let paths: Set<String>

    init(dnsNames: [String], paths: [String]) {
        self.dnsNames = Set(dnsNames.map { Self.normalizeHost($0) })
        self.paths = Set(paths)
    }

    func accepts(_ audiences: [String]) -> Bool {
        audiences.contains(where: accepts)
    }

    func accepts(_ audience: String) -> Bool {
        if paths.contains(audience) { return true }
        guard let components = URLComponents(string: audience), components.scheme?.lowercased() == "https",
            let host = components.host
        else { return false }
        return dnsNames.contains(Self.normalizeHost(host)) && paths.contains(components.path)
    }

    /// Why `received` was refused, for the 401 and the log: what came, and what this CA accepts — the first
    /// thing an operator behind a load balancer needs to fix `dnsNames`.
    func refusal(received: [String]?) -> String {
        let shown = (received ?? []).prefix(3).map { "\"" + String($0.unicodeScalars.prefix(200).filter { $0.value >= 0x20 }) + "\"" }
        let hosts = dnsNames.sorted().joined(separator: ", ")
        let accepted = paths.sorted().joined(separator: " or ")
        return "received \(shown.isEmpty ? "no audience" : shown.joined(separator: ", ")); "
            + "accepted: https://<host>[:port]\(paths.count == 1 ? accepted : "{\(accepted)}") for host \(hosts), or the bare path"
    }

    static func normalizeHost(_ host: String) -> String {
        var h = host.lowercased()
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        return h
    }
}
