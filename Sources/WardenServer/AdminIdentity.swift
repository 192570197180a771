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

    /// The admin account a credential maps to, and the provisioner (by id) that issued the credential.
    struct Binding: Sendable {
        var admin: Admin
        var provisionerID: UUID
        var provisionerName: String
        var provisionerType: ProvisionerType
    }

    var admin: Admin
    var provisionerID: UUID
    var provisionerName: String
    var provisionerType: ProvisionerType
    var certificate: Certificate
    var method: Method

    init(binding: Binding, certificate: Certificate, method: Method) {
        self.admin = binding.admin
        self.provisionerID = binding.provisionerID
        self.provisionerName = binding.provisionerName
        self.provisionerType = binding.provisionerType
        self.certificate = certificate
        self.method = method
    }

    var auditActor: AuditActor {
        AuditActor(
            subject: admin.subject, provisioner: provisionerName, serial: certificate.wardenSerial.decimal, method: method.rawValue)
    }
}
