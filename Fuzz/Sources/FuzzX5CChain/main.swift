import CFuzzerDriver
import Foundation
import WardenCore
import WardenPKI
import X509

/// What an x5c admin token's chain and a client certificate bring: certificates from DER, step's provisioner
/// extension, the names admin matching reads, SAN classification.
func fuzzX5CChain(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? ProvisionerExtension.parse(bytes)
    guard let certificate = try? Certificate(derEncoded: bytes) else { return 0 }
    _ = ProvisionerExtension(certificate: certificate)
    _ = certificate.wardenSerial.decimal
    if let sans = try? certificate.extensions.subjectAlternativeNames {
        for name in sans.compactMap(SubjectAlternativeName.init) { _ = try? CertificateNameRules.check(name) }
    }
    _ = try? certificate.extensions.keyUsage
    _ = try? certificate.extensions.extendedKeyUsage
    return 0
}

exit(WardenFuzzMain(CommandLine.argc, CommandLine.unsafeArgv, fuzzX5CChain))
