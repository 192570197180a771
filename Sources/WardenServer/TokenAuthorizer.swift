import Crypto
import Foundation
import WardenCore
import WardenPKI
import WardenStore
import WardenTemplate
import X509

/// Verifies provisioner one-time tokens (JWK and X5C) the way step-ca does: signature, issuer, audience, time
/// with one minute of leeway, non-empty subject. Replay is enforced where the token is consumed, in the same
/// database transaction as the write it authorises.
struct TokenAuthorizer: Sendable {
    static let leeway: TimeInterval = 60

    let provisioners: ProvisionerSet
    let dnsNames: [String]
    let startedAt: Date

    struct Authorization: Sendable {
        var provisioner: Provisioner
        var claims: TokenClaims
        var usedToken: UsedToken
        /// The token as parsed; its payload as JSON is templates' `.Token`, read only when a template may use it.
        var token: OneTimeToken
        /// For X5C tokens, the verified chain, leaf first (templates' `.AuthorizationCrt`, `.AuthorizationChain`).
        var chain: [Certificate] = []
    }

    /// - Parameter paths: the audience paths this endpoint accepts (e.g. `/1.0/sign`, `/sign`).
    func authorize(_ raw: String, paths: [String], now: Date = Date()) async throws(WardenError) -> Authorization {
        let token = try OneTimeToken(parsing: raw)
        guard let issuer = token.claims.iss, !issuer.isEmpty else {
            throw .unauthorized("token has no issuer claim (iss)")
        }
        let provisioner: Provisioner
        var chain: [Certificate] = []
        if !token.x5c.isEmpty {
            guard let found = provisioners.named(issuer), found.type == .x5c else {
                throw .unauthorized("provisioner \"\(issuer)\" not found or is not an X5C provisioner")
            }
            provisioner = found
            chain = try await verifyX5C(token, provisioner: provisioner, now: now)
        } else {
            guard let keyID = token.keyID else { throw .unauthorized("token has no kid header") }
            guard let found = provisioners.jwk(issuer: issuer, keyID: keyID) else {
                throw .unauthorized("provisioner \"\(issuer)\" with key id \"\(keyID)\" not found")
            }
            provisioner = found
            guard let key = provisioners.verificationKey(keyID: keyID) else {
                throw .unauthorized("provisioner \"\(issuer)\" has no usable EC P-256 key")
            }
            try token.verifySignature(with: key)
        }
        try checkClaims(token.claims, provisioner: provisioner, paths: paths, now: now)
        let providerID = provisioner.id?.uuidString.lowercased() ?? provisioner.name
        return Authorization(
            provisioner: provisioner, claims: token.claims,
            usedToken: UsedToken(id: "\(providerID):\(token.replayID)", expiresAt: Self.replayMemory(exp: token.claims.exp, now: now)),
            token: token, chain: chain)
    }

    /// How long a token id must be remembered: until its `exp` plus leeway, kept inside what PostgreSQL's
    /// `timestamptz` (and postgres-nio's microsecond arithmetic) can hold — a token claiming to expire in the
    /// year 10^300 is remembered for a century, which is as good as forever.
    static func replayMemory(exp: Double?, now: Date) -> Date {
        let century: TimeInterval = 100 * 365 * 86400
        guard let exp, exp.isFinite else { return now.addingTimeInterval(century) }
        let seconds = min(max(exp + leeway, now.timeIntervalSince1970), now.timeIntervalSince1970 + century)
        return Date(timeIntervalSince1970: seconds)
    }

    private func verifyX5C(_ token: OneTimeToken, provisioner: Provisioner, now: Date) async throws(WardenError) -> [Certificate] {
        guard let roots = try provisioners.x5cRoots(provisioner: provisioner.name) else {
            throw .internalError("X5C provisioner has no roots")
        }
        let chain = try token.x5cCertificates()
        guard let leaf = chain.first else { throw .unauthorized("x5c chain is empty") }
        do {
            try await ClientCertificateVerifier(roots: roots, intermediates: []).verify(
                leaf: leaf, presentedIntermediates: Array(chain.dropFirst()), now: now)
        } catch {
            throw .unauthorized("error verifying x5c certificate chain in token: \(error.message)")
        }
        guard let key = P256.Signing.PublicKey(leaf.publicKey) else {
            throw .unauthorized("x5c leaf key is not EC P-256")
        }
        try token.verifySignature(with: key)
        return chain
    }

    private func checkClaims(_ claims: TokenClaims, provisioner: Provisioner, paths: [String], now: Date) throws(WardenError) {
        let t = now.timeIntervalSince1970
        if let exp = claims.exp, t > exp + Self.leeway {
            throw .unauthorized("token is expired")
        }
        if let nbf = claims.nbf, t + Self.leeway < nbf {
            throw .unauthorized("token is not yet valid")
        }
        if let iat = claims.iat {
            if t + Self.leeway < iat { throw .unauthorized("token was issued in the future") }
            if iat + Self.leeway < startedAt.timeIntervalSince1970 {
                throw .unauthorized("token issued before the bootstrap of the certificate authority")
            }
        }
        if claims.exp == nil { throw .unauthorized("token has no expiration claim (exp)") }
        guard claims.iss == provisioner.name else { throw .unauthorized("invalid token issuer claim (iss)") }
        let audience = TokenAudience(dnsNames: dnsNames, paths: paths)
        guard let aud = claims.aud?.values, audience.accepts(aud) else {
            throw .unauthorized("invalid token audience claim (aud): \(audience.refusal(received: claims.aud?.values))")
        }
        guard let sub = claims.sub, !sub.isEmpty else { throw .unauthorized("token subject cannot be empty") }
    }
}
