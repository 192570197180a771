import Foundation
import WardenCore
import WardenPKI
import WardenStore
import X509

/// Who is calling the admin API, established from a TLS client certificate or an x5c admin token.
struct AdminIdentity: Sendable {
    enum Method: String, Sendable {
        case mtls
        case token = "x5c-token"
    }

    var admin: Admin
    var provisionerName: String
    var provisionerType: ProvisionerType
    var certificate: Certificate
    var method: Method

    var auditActor: AuditActor {
        AuditActor(
            subject: admin.subject, provisioner: provisionerName, serial: certificate.wardenSerial.decimal, method: method.rawValue)
    }
}
