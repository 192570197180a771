import CFuzzerDriver
import Crypto
import Foundation
import WardenCore
import WardenPKI

/// One-time tokens (`/sign`, `/revoke`, `/renew` bodies and `Authorization` headers) as the server reads them:
/// parse, replay id, x5c chain, signature check with a fixed key, the claims the checks read. Invariant: a token
/// that parses has a non-empty replay id.
let key = P256.Signing.PrivateKey().publicKey

func fuzzOneTimeToken(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let token = try? OneTimeToken(parsing: text) else { return 0 }
    precondition(!token.replayID.isEmpty, "a parsed token must have a replay id")
    _ = try? token.x5cCertificates()
    _ = try? token.verifySignature(with: key)
    let claims = token.claims
    _ = claims.sans?.map(SubjectAlternativeName.init(classifying:)).map { try? CertificateNameRules.check($0) }
    if let subject = claims.sub {
        _ = SerialNumber(parsing: subject)
        _ = try? CertificateNameRules.checkCommonName(subject)
    }
    return 0
}

exit(WardenFuzzMain(CommandLine.argc, CommandLine.unsafeArgv, fuzzOneTimeToken))
