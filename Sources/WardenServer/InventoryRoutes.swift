import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SwiftASN1
import WardenCore
import WardenPKI
import WardenStore
import X509

/// Warden's own admin routes: the certificate inventory, revocations, the audit log and the live change
/// stream. Behind ``AdminAuthenticationMiddleware`` like the rest of `/admin`; any admin may use them.
struct InventoryRoutes: Sendable {
    let authority: Authority
    let hub: ChangeHub

    func register(on router: Router<WardenRequestContext>) {
        let admin = router.group("admin").add(middleware: AdminAuthenticationMiddleware(authority: authority))
        admin.get("certificates") { request, context in try await listCertificates(request, context) }
        admin.get("certificates/:serial") { _, context in try await certificateDetail(context) }
        admin.post("certificates/:serial/revoke") { request, context in try await revoke(request, context) }
        admin.get("revocations") { request, context in try await listRevocations(request, context) }
        admin.get("audit") { request, context in try await listAudit(request, context) }
        admin.get("events") { _, context in try events(context) }
    }

    static func parameters(_ request: Request) -> [(String, String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    private func listCertificates(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let query = try CertificateQuery(parameters: Self.parameters(request))
        return try JSONResponse.make(try await authority.inventory.certificates(query, logger: context.logger))
    }

    private func serial(_ context: WardenRequestContext) throws(WardenError) -> SerialNumber {
        let text = try context.pathParameter("serial")
        guard let serial = SerialNumber(parsing: text) else {
            throw .badRequest("serial: \"\(text)\" is not a decimal or 0x-hex serial number")
        }
        return serial
    }

    private func certificateDetail(_ context: WardenRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let serial = try serial(context)
        guard let record = try await authority.certificates.find(serial: serial, logger: context.logger) else {
            throw WardenError.notFound("certificate \(serial.decimal) not found")
        }
        let revocation = try await authority.revocations.find(serial: serial, logger: context.logger)
        return try JSONResponse.make(CertificateDetailBuilder.detail(record: record, revocation: revocation))
    }

    private func revoke(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        let identity = try context.requireAdmin()
        let serial = try serial(context)
        let body = try await RequestBody.decodeObject(from: request)
        guard case .number(let number)? = body["reasonCode"] ?? .number(0), let code = Int(exactly: number) else {
            throw WardenError.badRequest("reasonCode: must be an integer from 0 to 10")
        }
        if let reason = body["reason"], reason.stringValue == nil { throw WardenError.badRequest("reason: must be a string") }
        for key in body.keys where key != "reasonCode" && key != "reason" {
            throw WardenError.badRequest("\(key): unknown field")
        }
        let reason = body["reason"]?.stringValue ?? ""
        try InputText.checkFreeText(reason, field: "reason")
        let revocation = try await authority.adminRevoke(
            serial: serial, reasonCode: code, reason: reason,
            audit: AuditContext(actor: identity.auditActor, requestID: context.requestID, remoteAddress: context.remoteAddress),
            logger: context.logger)
        let record = try await authority.certificates.find(serial: serial, logger: context.logger)
        return try JSONResponse.make(RevocationSummary(revocation: revocation, provisioner: record?.provisionerName, subject: record?.subject))
    }

    private func listRevocations(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let query = try RevocationQuery(parameters: Self.parameters(request))
        return try JSONResponse.make(try await authority.inventory.revocations(query, logger: context.logger))
    }

    private func listAudit(_ request: Request, _ context: WardenRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let query = try AuditQuery(parameters: Self.parameters(request))
        return try JSONResponse.make(try await authority.inventory.audit(query, logger: context.logger))
    }

    /// Server-sent events: `event: provisioner|admin|certificate|revocation|resync`, `data: {"kind","id"}`, and a
    /// comment line every 15 s so proxies keep the stream open.
    ///
    /// A stream lives only as long as the credential that opened it: whenever admins, provisioners or revocations
    /// change (on any instance: the change feed delivers every commit), every 30 s, and when the admin
    /// certificate expires, the credential is checked again; if the admin was removed, its provisioner removed
    /// or its certificate revoked, the stream ends with `event: end` and a reason.
    private func events(_ context: WardenRequestContext) throws -> Response {
        let identity = try context.requireAdmin()
        let stream = hub.subscribe()
        let authenticator = AdminAuthenticator(authority: authority)
        let logger = context.logger
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: ": connected\n\n"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                let (merged, continuation) = AsyncStream.makeStream(of: String.self)
                @Sendable func end(_ reason: String) {
                    logger.info("event stream closed: credential no longer valid", metadata: ["admin": "\(identity.admin.subject)"])
                    continuation.yield("event: end\ndata: {\"reason\":\"\(reason)\"}\n\n")
                    continuation.finish()
                }
                group.addTask {
                    for await notice in stream {
                        let data = (try? JSONEncoder().encode(notice)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                        if Self.credentialKinds.contains(notice.kind),
                            await !authenticator.stillStands(identity, role: .admin, logger: logger)
                        {
                            end("credential revoked or admin removed")
                            return
                        }
                        continuation.yield("event: \(notice.kind)\ndata: \(data)\n\n")
                    }
                    continuation.finish()
                }
                group.addTask {
                    var lastCheck = ContinuousClock.now
                    while !Task.isCancelled {
                        let untilExpiry = identity.certificate.notValidAfter.timeIntervalSinceNow
                        try await Task.sleep(for: .seconds(max(0, min(15, untilExpiry + 0.5))))
                        if ContinuousClock.now - lastCheck >= .seconds(30) || untilExpiry < 15 {
                            lastCheck = ContinuousClock.now
                            guard await authenticator.stillStands(identity, role: .admin, logger: logger) else {
                                end("credential expired, revoked or admin removed")
                                return
                            }
                        }
                        continuation.yield(": keep-alive\n\n")
                    }
                }
                for await chunk in merged {
                    try await writer.write(ByteBuffer(string: chunk))
                }
                group.cancelAll()
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: body)
    }

    /// Changes after which an open stream's credential is checked again.
    static let credentialKinds: Set<String> = ["admin", "provisioner", "revocation", "resync"]
}

/// Builds `GET /admin/certificates/{serial}`: the record, the PEM, issuer, a readable summary of every
/// extension, and revocation details.
enum CertificateDetailBuilder {
    static func detail(record: CertificateRecord, revocation: Revocation?) -> JSONValue {
        let summary = CertificateSummary(
            serial: record.serial, subject: record.subject, sans: record.sans, notBefore: record.notBefore, notAfter: record.notAfter,
            revokedAt: revocation?.revokedAt, reason: revocation?.reasonCode, provisioner: record.provisionerName,
            keyAlgorithm: record.keyAlgorithm, fingerprint: record.fingerprintSHA256, issuedAt: record.issuedAt)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var object = (try? encoder.encode(summary)).flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0) }?.objectValue ?? [:]
        if let certificate = try? Certificate(derEncoded: record.der) {
            object["pem"] = .string(PEMBundle.pem(certificate))
            object["issuer"] = .string(certificate.issuer.description)
            object["subjectDN"] = .string(certificate.subject.description)
            object["extensions"] = .array(certificate.extensions.map(describe))
        }
        if let renewedFrom = record.renewedFrom { object["renewedFrom"] = .string(renewedFrom.decimal) }
        if let revocation {
            object["revocation"] = .object([
                "revokedAt": .string(ProtoTimestamp.format(revocation.revokedAt)), "reasonCode": .number(Double(revocation.reasonCode.rawValue)),
                "reason": .string(revocation.reasonCode.name), "reasonText": .string(revocation.reason),
                "revokedBy": .string(revocation.revokedBy), "method": .string(revocation.method.rawValue),
            ])
        }
        return .object(object)
    }

    static func describe(_ ext: Certificate.Extension) -> JSONValue {
        var name = ext.oid.description
        var value = ""
        switch ext.oid {
        case .X509ExtensionID.keyUsage:
            name = "keyUsage"
            value = (try? KeyUsage(ext)).map { "\($0)" } ?? ""
        case .X509ExtensionID.extendedKeyUsage:
            name = "extendedKeyUsage"
            value = (try? ExtendedKeyUsage(ext)).map { "\($0)" } ?? ""
        case .X509ExtensionID.subjectAlternativeName:
            name = "subjectAlternativeName"
            value = (try? SubjectAlternativeNames(ext)).map { $0.compactMap(SubjectAlternativeName.init).map(\.value).joined(separator: ", ") } ?? ""
        case .X509ExtensionID.basicConstraints:
            name = "basicConstraints"
            value = (try? BasicConstraints(ext)).map { "\($0)" } ?? ""
        case .X509ExtensionID.subjectKeyIdentifier:
            name = "subjectKeyIdentifier"
        case .X509ExtensionID.authorityKeyIdentifier:
            name = "authorityKeyIdentifier"
        case ProvisionerExtension.oid:
            name = "stepProvisioner"
            if let parsed = try? ProvisionerExtension.parse(Array(ext.value)) {
                value = "\(ProvisionerType(rawValue: parsed.type)?.configName ?? String(parsed.type)) \"\(parsed.name)\""
            }
        default:
            break
        }
        return .object(["oid": .string(ext.oid.description), "name": .string(name), "critical": .bool(ext.critical), "value": .string(value)])
    }
}
