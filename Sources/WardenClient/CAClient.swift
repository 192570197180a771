import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import WardenCore
import WardenPKI
import X509

/// A typed client for Warden's (and step-ca's) public API, over TLS pinned to the CA's roots.
///
/// Use ``withClient(_:_:)``: the underlying HTTP client is shut down when the body returns.
public struct CAClient: Sendable {
    public let configuration: CAClientConfiguration
    let http: HTTPClient

    public static func withClient<T>(_ configuration: CAClientConfiguration, _ body: (CAClient) async throws -> T) async throws -> T {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.trustRoots = .certificates(try configuration.roots.map { try NIOSSLCertificate(bytes: PEMBundle.der($0), format: .der) })
        if let identity = configuration.identity {
            tls.certificateChain = try identity.chain.map { .certificate(try NIOSSLCertificate(bytes: PEMBundle.der($0), format: .der)) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(identity.key.pemRepresentation.utf8), format: .pem))
        }
        var httpConfiguration = HTTPClient.Configuration(tlsConfiguration: tls)
        httpConfiguration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        return try await HTTPClient.withHTTPClient(configuration: httpConfiguration) { http in
            try await body(CAClient(configuration: configuration, http: http))
        }
    }

    // MARK: Public API

    public func health() async throws -> StatusResponse {
        try await get("/health")
    }

    public func roots() async throws -> [Certificate] {
        let response: RootsResponse = try await get("/roots")
        return try response.crts.flatMap { try PEMBundle.certificates(fromPEM: $0) }
    }

    /// Every provisioner, following `nextCursor`.
    public func provisioners() async throws -> [Provisioner] {
        var all: [Provisioner] = []
        var cursor = ""
        repeat {
            let page: ProvisionersPage = try await get("/provisioners?limit=100&cursor=\(cursor)")
            all += page.provisioners
            cursor = page.nextCursor
        } while !cursor.isEmpty
        return all
    }

    public func encryptedKey(keyID: String) async throws -> String {
        let escaped = keyID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? keyID
        let response: [String: String] = try await get("/provisioners/\(escaped)/encrypted-key")
        guard let key = response["key"] else { throw WardenError.internalError("encrypted-key response has no key") }
        return key
    }

    public func sign(_ request: SignRequest) async throws -> SignResponse {
        try await send(.POST, "/1.0/sign", body: request)
    }

    /// Renews the configured client identity's certificate (mTLS).
    public func renew() async throws -> SignResponse {
        try await send(.POST, "/1.0/renew", body: Optional<String>.none)
    }

    public func revoke(_ request: RevokeRequest) async throws -> StatusResponse {
        try await send(.POST, "/1.0/revoke", body: request)
    }

    public func crlDER() async throws -> [UInt8] {
        try await raw(.GET, "/crl", body: nil).body
    }

    // MARK: Transport

    func get<T: Decodable>(_ path: String) async throws -> T {
        try await send(.GET, path, body: Optional<String>.none)
    }

    func send<T: Decodable, B: Encodable>(_ method: HTTPMethod, _ path: String, body: B?) async throws -> T {
        var data: [UInt8]?
        if let body { data = Array(try JSONEncoder().encode(body)) }
        let response = try await raw(method, path, body: data)
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch {
            throw WardenError.internalError("unexpected response from the CA for \(path): \(describeDecodingError(error))")
        }
    }

    /// Sends a request; a non-2xx answer becomes a ``WardenError`` carrying the server's message.
    public func raw(_ method: HTTPMethod, _ path: String, body: [UInt8]?, headers: [(String, String)] = [])
        async throws -> (status: Int, body: [UInt8])
    {
        let response = try await exchange(method, path, body: body, headers: headers)
        guard (200..<300).contains(response.status) else {
            throw ResponseErrorDecoder.error(status: response.status, body: response.body, request: "\(method) \(path)")
        }
        return response
    }

    /// Sends a request and returns whatever the server answered, error statuses included (for tools and tests
    /// that inspect error responses). Transport failures still throw.
    public func exchange(_ method: HTTPMethod, _ path: String, body: [UInt8]?, headers: [(String, String)] = [])
        async throws -> (status: Int, body: [UInt8])
    {
        var request = HTTPClientRequest(url: configuration.url.absoluteString.trimmingSuffix("/") + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(configuration.timeout.components.seconds))
        } catch {
            throw ConnectionErrorDescription.wardenError(for: error, url: configuration.url)
        }
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), Array(buffer.readableBytesView))
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
