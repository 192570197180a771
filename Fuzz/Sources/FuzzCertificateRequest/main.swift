import CFuzzerDriver
import Foundation
import WardenCore
import WardenPKI
import X509

/// Certificate requests as `/sign` receives them: DER (the raw input) and PEM (the input wrapped, and the input
/// read as text), signature verification, the names the CA reads out of them and checks against a token.
func fuzzCertificateRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let wrapped =
        "-----BEGIN CERTIFICATE REQUEST-----\n" + Data(bytes).base64EncodedString(options: .lineLength64Characters)
        + "\n-----END CERTIFICATE REQUEST-----\n"
    for parsed in [
        try? CertificateRequestNames.parse(der: bytes), try? CertificateRequestNames.parse(pem: wrapped),
        try? CertificateRequestNames.parse(pem: String(decoding: bytes, as: UTF8.self)),
    ] {
        guard let csr = parsed else { continue }
        let (commonName, sans) = CertificateRequestNames.names(of: csr)
        for san in sans { _ = try? CertificateNameRules.check(san) }
        _ = try? CertificateRequestNames.check(csr, subject: commonName ?? "", tokenSANs: sans)
        _ = KeyAlgorithmName.describe(csr.publicKey)
    }
    return 0
}

exit(WardenFuzzMain(CommandLine.argc, CommandLine.unsafeArgv, fuzzCertificateRequest))
