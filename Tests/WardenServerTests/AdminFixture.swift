import Crypto
import Foundation
import NIOHTTP1
import Testing
import WardenClient
import WardenCore
import WardenPKI
import WardenServer
import WardenTestSupport
import X509

/// Admin credentials for tests against a remotely managed ``RunningCA``.
struct AdminFixture {
    let ca: RunningCA

    /// A certificate for `subject` from the JWK provisioner `admin` (the super admin is "step").
    func identity(_ subject: String = "step") async throws -> ClientIdentity {
        let issued = try await ca.issue(subject: subject)
        return ClientIdentity(chain: issued.chain, key: issued.key)
    }

    /// A certificate for `subject` from the JWK provisioner `provisioner`, obtained with its password as any
    /// client would (public encrypted key, one-time token, CSR).
    func identity(_ subject: String, provisioner: String, password: String) async throws -> ClientIdentity {
        try await CAClient.withClient(try ca.clientConfiguration()) { client in
            let issuer = try await ProvisionerTokenIssuer.load(client: client, name: provisioner, password: Array(password.utf8))
            let issued = try await CertificateEnrollment.enroll(client: client, issuer: issuer, subject: subject, sans: [], notAfter: nil)
            return ClientIdentity(chain: issued.chain, key: issued.key)
        }
    }

    /// The CA's own signer, to craft certificates the API must refuse (expired, unknown subject, ...).
    func signer() throws -> SigningAuthority {
        let configuration = try CAConfiguration.load(path: ca.configPath)
        return try CAMaterial.load(configuration: configuration, configPath: ca.configPath, password: Secret(ca.password)).signer
    }

    /// A certificate the CA's database does not know, claiming `provisioner` in step's extension with
    /// `credentialID` (the JWK key id a real one would carry).
    func craft(
        subject: String, provisioner: String = "admin", credentialID: String = "", notBefore: Date = Date().addingTimeInterval(-60),
        notAfter: Date = Date().addingTimeInterval(3600), signer: SigningAuthority? = nil
    ) throws -> ClientIdentity {
        let key = P256.Signing.PrivateKey()
        let signer = try signer ?? self.signer()
        let certificate = try signer.issue(
            .init(
                commonName: subject, sans: [SubjectAlternativeName(classifying: subject)], publicKey: .init(key.publicKey),
                notBefore: notBefore, notAfter: notAfter,
                provisioner: ProvisionerExtension(type: 1, name: provisioner, credentialID: credentialID)))
        return ClientIdentity(chain: [certificate, signer.intermediate], key: key)
    }

    /// The key id of the JWK provisioner `name`, from the public list.
    func keyID(of name: String) async throws -> String {
        let listed = try await client(nil) { try await $0.provisioners() }
        return try #require(listed.first { $0.name == name }?.keyID)
    }

    /// An x5c admin token as step's admin client makes it.
    func token(
        _ identity: ClientIdentity, path: String, audience: String? = nil, issuedAt: Date = Date(), lifetime: TimeInterval = 300,
        jti: String = OneTimeToken.newTokenID(), issuer: String = "step-admin-client/1.0"
    ) async throws -> String {
        let claims = TokenClaims(
            iss: issuer, sub: "step", aud: audience ?? ca.url.absoluteString + path, exp: issuedAt.addingTimeInterval(lifetime),
            nbf: issuedAt, iat: issuedAt, jti: jti)
        return try await OneTimeToken.sign(claims, key: identity.key, keyID: nil, x5c: identity.chain)
    }

    func client<T: Sendable>(_ identity: ClientIdentity?, _ body: @Sendable (CAClient) async throws -> T) async throws -> T {
        try await CAClient.withClient(try ca.clientConfiguration(identity: identity), body)
    }
}

extension CAClient {
    /// JSON in, status and parsed JSON out, error statuses included.
    func json(_ method: String, _ path: String, _ body: JSONValue? = nil, headers: [(String, String)] = []) async throws
        -> (status: Int, body: JSONValue)
    {
        let bytes = try body.map { Array(try JSONEncoder().encode($0)) }
        let response = try await exchange(.init(rawValue: method), path, body: bytes, headers: headers)
        let parsed = (try? JSONDecoder().decode(JSONValue.self, from: Data(response.body))) ?? .string(String(decoding: response.body, as: UTF8.self))
        return (response.status, parsed)
    }
}

extension JSONValue {
    /// Parses JSON text in tests.
    static func parse(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
    }
}

/// An admin API refusal: exactly this status, step's error `type`, and a message containing `message` (the
/// specific reason, so a refusal for another reason — a decoding error, say — does not pass).
func expectAdminError(
    _ response: (status: Int, body: JSONValue), _ status: Int, _ type: String, _ message: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(response.body)", sourceLocation: sourceLocation)
    #expect(response.body["type"] == .string(type), "\(response.body)", sourceLocation: sourceLocation)
    #expect(response.body["message"]?.stringValue?.contains(message) == true, "\(response.body)", sourceLocation: sourceLocation)
}
