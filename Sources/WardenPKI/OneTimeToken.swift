import Crypto
import Foundation
import JWTKit
import SwiftASN1
import WardenCore
import WardenTemplate
import X509

/// The claims of step's one-time tokens (sign, revoke, renew and admin tokens). Every field is optional at
/// decoding so that a missing claim is reported by the validator with a precise message, not as a parse error.
public struct TokenClaims: JWTPayload, Equatable {
    public var iss: String?
    public var sub: String?
    public var aud: Audience?
    public var exp: Double?
    public var nbf: Double?
    public var iat: Double?
    public var jti: String?
    public var sans: [String]?
    public var sha: String?

    public init(
        iss: String?, sub: String?, aud: String?, exp: Date?, nbf: Date?, iat: Date?, jti: String?, sans: [String]? = nil,
        sha: String? = nil
    ) {
        self.iss = iss
        self.sub = sub
        self.aud = aud.map { Audience(values: [$0]) }
        self.exp = exp.map { $0.timeIntervalSince1970.rounded(.down) }
        self.nbf = nbf.map { $0.timeIntervalSince1970.rounded(.down) }
        self.iat = iat.map { $0.timeIntervalSince1970.rounded(.down) }
        self.jti = jti
        self.sans = sans
        self.sha = sha
    }

    /// Signature verification only: claims are checked by the caller, with step's leeway and messages.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// `aud` is a string in step's tokens and an array in some other JWT producers; both decode.
    public struct Audience: Codable, Equatable, Sendable {
        public var values: [String]

        public init(values: [String]) { self.values = values }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let single = try? container.decode(String.self) {
                values = [single]
            } else {
                values = try container.decode([String].self)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            if values.count == 1 { try container.encode(values[0]) } else { try container.encode(values) }
        }
    }
}

/// Parsing, signing and signature verification of compact JWS tokens, on top of jwt-kit.
public struct OneTimeToken: Sendable {
    public let raw: String
    public let claims: TokenClaims
    public let keyID: String?
    public let algorithm: String?
    /// DER certificates from the `x5c` header, leaf first.
    public let x5c: [[UInt8]]
    /// DER certificates from step's `x5cInsecure` header (renew tokens: the chain is the certificate to renew,
    /// which may have expired, so JOSE libraries must not verify it; the CA does).
    public let x5cInsecure: [[UInt8]]
    /// What the signature covers (`header.payload` as sent) and the signature, kept from the one parse so
    /// verification does not parse the token again.
    let signingInput: ArraySlice<UInt8>
    let signature: Data

    /// Parses without verifying; a malformed token is `unauthorized` as step answers.
    public init(parsing raw: String) throws(WardenError) {
        let bytes = ASCIIWhitespace.trimmed(Array(raw.utf8))
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2 else {
            throw .unauthorized("error parsing token: token is not a compact JWS")
        }
        do {
            let parsed = try DefaultJWTParser().parse(bytes, as: TokenClaims.self)
            self.raw = String(decoding: bytes, as: UTF8.self)
            self.signingInput = bytes[..<dots[1]]
            self.signature = parsed.signature
            self.claims = parsed.payload
            self.keyID = parsed.header.kid
            self.algorithm = parsed.header.alg
            var chain: [[UInt8]] = []
            for entry in parsed.header.x5c ?? [] {
                guard let der = Data(base64Encoded: entry) else {
                    throw WardenError.unauthorized("error parsing token: x5c entry is not base64")
                }
                chain.append(Array(der))
            }
            self.x5c = chain
            var insecure: [[UInt8]] = []
            if let field = parsed.header.fields["x5cInsecure"] {
                guard let entries = try? field.asArray(of: String.self) else {
                    throw WardenError.unauthorized("error parsing token: x5cInsecure must be a list of base64 certificates")
                }
                for entry in entries {
                    guard let der = Data(base64Encoded: entry) else {
                        throw WardenError.unauthorized("error parsing token: x5cInsecure entry is not base64")
                    }
                    insecure.append(Array(der))
                }
            }
            self.x5cInsecure = insecure
        } catch let error as WardenError {
            throw error
        } catch {
            throw .unauthorized("error parsing token: \(error)")
        }
    }

    /// The payload's claims as decoded JSON (all of them, not only those ``TokenClaims`` names): templates see
    /// them as `.Token`. Nil when the payload is not a JSON object (the token would not have parsed).
    public var payload: TemplateJSON? {
        let segments = signingInput.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 2, let bytes = Base64URL.decode(String(decoding: segments[1], as: UTF8.self)) else { return nil }
        guard let json = TemplateJSON.parse(String(decoding: bytes, as: UTF8.self)), case .object = json else { return nil }
        return json
    }

    /// Checks the signature with `publicKey` (ES256 only, the only algorithm Warden issues keys for).
    ///
    /// ES256 (RFC 7518 §3.4) is ECDSA P-256 over SHA-256 of `header.payload` with the raw 64-byte r‖s signature,
    /// which is exactly swift-crypto's `rawRepresentation`; checking it here avoids a second parse of the token
    /// and a key collection per request, which showed in profiles of the issuance and admin paths.
    public func verifySignature(with publicKey: P256.Signing.PublicKey) throws(WardenError) {
        guard algorithm == "ES256" else {
            throw .unauthorized("error parsing token: unsupported signature algorithm \(algorithm ?? "none")")
        }
        guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
            publicKey.isValidSignature(signature, for: SHA256.hash(data: signingInput))
        else {
            throw .unauthorized("error verifying token: invalid signature")
        }
    }

    /// The id a replay is recognised by: the `jti` claim, or — for tokens without one — the SHA-256 (hex) of what
    /// the signature covers (`header.payload`). Never the signature bytes: an ECDSA signature can be re-encoded
    /// as another valid one (s ↦ n − s), which would turn a replay into a "new" token.
    public var replayID: String {
        if let jti = claims.jti, !jti.isEmpty { return jti }
        return SHA256.hash(data: signingInput).map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
    }

    /// The x5c chain as certificates.
    public func x5cCertificates() throws(WardenError) -> [Certificate] {
        do {
            return try x5c.map { try Certificate(derEncoded: $0) }
        } catch {
            throw .unauthorized("error parsing x5c certificate chain in token")
        }
    }

    /// The chain a renew token carries: `x5cInsecure` as step's clients send it, else `x5c`.
    public func renewalChain() throws(WardenError) -> [Certificate] {
        let chain = x5cInsecure.isEmpty ? x5c : x5cInsecure
        guard !chain.isEmpty else { throw .unauthorized("error parsing token: a renew token needs the certificate in x5cInsecure") }
        do {
            return try chain.map { try Certificate(derEncoded: $0) }
        } catch {
            throw .unauthorized("error parsing token: the x5cInsecure chain is not DER certificates")
        }
    }

    /// Signs `claims` with an ES256 key, adding `kid`, `typ: JWT` and, for admin and renew tokens, `x5c`.
    /// `x5cInsecure` puts a chain in step's renew-token header (standard base64 DER, as `x5c`).
    public static func sign(
        _ claims: TokenClaims, key: P256.Signing.PrivateKey, keyID: String?, x5c: [Certificate] = [], x5cInsecure: [Certificate] = []
    ) async throws -> String {
        let keys = JWTKeyCollection()
        try await keys.add(ecdsa: ES256PrivateKey(backing: key), kid: keyID.map { JWKIdentifier(string: $0) })
        var header = JWTHeader()
        header.typ = "JWT"
        header.alg = "ES256"
        if let keyID { header.kid = keyID }
        if !x5c.isEmpty {
            // jwt-kit takes PEM here and writes standard base64 DER into the header, as RFC 7515 §4.1.6 says.
            header.x5c = x5c.map { PEMBundle.pem($0) }
        }
        if !x5cInsecure.isEmpty {
            header.fields["x5cInsecure"] = .array(x5cInsecure.map { .string(Data(PEMBundle.der($0)).base64EncodedString()) })
        }
        return try await keys.sign(claims, kid: keyID.map { JWKIdentifier(string: $0) }, header: header)
    }

    /// 64 lowercase hex characters, as step's clients make token ids.
    public static func newTokenID() -> String {
        randomBytes(32).hexString
    }
}
