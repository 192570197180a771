import Foundation
import WardenCore

/// API objects → list rows and detail lines.
public enum ConsoleRows {
    public static func provisioner(_ p: LinkedProvisioner) -> ConsoleRow {
        let claims = LinkedClaims.toClaims(p.claims)
        let durations = [claims.defaultTLSCertDuration, claims.minTLSCertDuration, claims.maxTLSCertDuration]
            .map { $0?.description ?? "-" }.joined(separator: "/")
        var detail: [(String, String)] = [
            ("Name", p.name), ("Type", p.type.enumName), ("ID", p.id.uuidString.lowercased()), ("Durations", durations),
            ("Renewal", claims.disableRenewal == true ? "disabled" : claims.allowRenewalAfterExpiry == true ? "allowed after expiry" : "allowed"),
            ("Created", ProtoTimestamp.format(p.createdAt)),
        ]
        for key in p.details.keys.sorted() where !["encryptedPrivateKey", "clientSecret", "challenge"].contains(key) {
            let value = p.details[key]!
            detail.append((key, value.stringValue.map { $0.count > 60 ? String($0.prefix(57)) + "…" : $0 } ?? "\(value)"))
        }
        return ConsoleRow(id: p.name, cells: [p.name, p.type.enumName, durations], detail: detail, claims: claims)
    }

    public static func admin(_ a: Admin, provisionerName: String) -> ConsoleRow {
        ConsoleRow(
            id: a.id.uuidString.lowercased(), cells: [a.subject, provisionerName, a.role.name],
            detail: [
                ("Subject", a.subject), ("Provisioner", provisionerName), ("Role", a.role.name), ("ID", a.id.uuidString.lowercased()),
                ("Created", ProtoTimestamp.format(a.createdAt)),
            ])
    }

    /// R revoked, x expired, ! expires within 7 days — text markers, not colour alone.
    public static func certificate(_ c: CertificateSummary, now: Date = Date()) -> ConsoleRow {
        let marker = c.status == "revoked" ? "R" : c.status == "expired" ? "x" : c.notAfter.timeIntervalSince(now) < 7 * 86400 ? "!" : " "
        var detail: [(String, String)] = [
            ("Serial", c.serial), ("Serial (hex)", c.serialHex), ("Subject", c.subject), ("SANs", c.sans.joined(separator: ", ")),
            ("Status", c.status), ("Not before", ProtoTimestamp.format(c.notBefore)), ("Not after", ProtoTimestamp.format(c.notAfter)),
            ("Provisioner", c.provisioner), ("Key", c.keyAlgorithm), ("SHA-256", c.fingerprint),
        ]
        if let revokedAt = c.revokedAt { detail.append(("Revoked", "\(ProtoTimestamp.format(revokedAt)) \(c.revocationReason ?? "")")) }
        return ConsoleRow(
            id: c.serial, cells: [marker, c.serial, c.subject, c.status, String(ProtoTimestamp.format(c.notAfter).prefix(10))], detail: detail,
            searchText: ([c.subject] + c.sans + [c.serial]).joined(separator: " "))
    }

    public static func revocation(_ r: RevocationSummary) -> ConsoleRow {
        ConsoleRow(
            id: r.serial, cells: [r.serial, r.subject ?? "-", r.reason, ProtoTimestamp.format(r.revokedAt)],
            detail: [
                ("Serial", r.serial), ("Serial (hex)", r.serialHex), ("Subject", r.subject ?? "-"), ("Reason", "\(r.reason) (\(r.reasonCode))"),
                ("Text", r.reasonText), ("Revoked at", ProtoTimestamp.format(r.revokedAt)), ("By", r.revokedBy), ("Method", r.method),
            ])
    }

    public static func audit(_ e: AuditEvent) -> ConsoleRow {
        ConsoleRow(
            id: String(e.id ?? 0), cells: [ProtoTimestamp.format(e.at), e.actorSubject ?? "-", e.action, e.outcome.rawValue],
            detail: [
                ("At", ProtoTimestamp.format(e.at)), ("Actor", e.actorSubject ?? "-"), ("Provisioner", e.actorProvisioner ?? "-"),
                ("Auth", e.authMethod ?? "-"), ("Action", e.action), ("Target", "\(e.targetKind ?? "") \(e.targetID ?? "")"),
                ("Outcome", e.outcome.rawValue), ("Request", e.requestID ?? "-"), ("From", e.remoteAddress ?? "-"),
            ]
                + (e.after?["error"]?.stringValue.map { [("Error", $0)] } ?? []))
    }
}
