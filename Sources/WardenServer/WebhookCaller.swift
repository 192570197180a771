import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import WardenCore
import WardenPKI
import WardenTemplate
import X509

/// Calls a provisioner's webhooks during X.509 issuance, as step-ca does: a `POST` of
/// `{"timestamp", "provisionerName", "x509CertificateRequest"}` (the CSR in step's template model) to the webhook's
/// URL (rendered as a template over the certificate template's data), signed with the webhook's secret
/// (`X-Smallstep-Signature`: hex HMAC-SHA256 of the body; `X-Smallstep-Webhook-ID`), with its bearer token or basic
/// credentials. TLS is verified against the CA's roots and the system roots; redirects are not followed.
///
/// Outcomes: `{"allow": true, "data": {…}}` goes on (ENRICHING webhooks' `data` becomes `.Webhooks.<name>`);
/// `"allow": false` is 403 naming the webhook; a webhook that cannot be reached, does not answer within
/// ``timeout``, answers a non-2xx status or something that is not such an object is 503 naming it — never a hang.
/// Not done: presenting the CA's certificate for mutual TLS (`disableTlsClientAuth` is stored, not used).
struct WebhookCaller: Sendable {
    /// One client for the process; redirects off. It lives as long as the process (never shut down).
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(5))))

    static let maximumResponse = 1 << 20

    /// TLS towards webhooks: the system roots and the CA's own, made once per issuance rather than per webhook.
    let tls: TLSConfiguration
    var timeout: TimeAmount = .seconds(5)

    init(roots: [Certificate]) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        let certificates = roots.compactMap { try? NIOSSLCertificate(bytes: PEMBundle.der($0), format: .der) }
        if !certificates.isEmpty { tls.additionalTrustRoots = [.certificates(certificates)] }
        self.tls = tls
    }

    /// Runs `hooks` (those for X.509) in order; returns the ENRICHING ones' data by webhook name.
    func callX509(_ hooks: [Webhook], data: TemplateValue, request: TemplateValue, provisioner: String, logger: Logger) async throws(WardenError)
        -> [String: TemplateJSON]
    {
        var enriched: [String: TemplateJSON] = [:]
        for hook in hooks where hook.certType != .ssh {
            let answer = try await call(hook, data: data, request: request, provisioner: provisioner, logger: logger)
            if hook.kind == .enriching { enriched[hook.name] = answer }
        }
        return enriched
    }

    private func call(_ hook: Webhook, data: TemplateValue, request: TemplateValue, provisioner: String, logger: Logger)
        async throws(WardenError) -> TemplateJSON
    {
        let url: String
        do {
            url = try Template(parsing: hook.url, name: "webhook \(hook.name) url").render(data)
        } catch {
            throw .badRequest("webhook \(hook.name): its url template failed: \(error.description)")
        }
        guard url.lowercased().hasPrefix("https://"), URL(string: url)?.host != nil else {
            throw .badRequest("webhook \(hook.name): its url renders to \"\(url.prefix(200))\", not an https URL")
        }
        let timestamp = ProtoTimestamp.format(Date())
        let body =
            #"{"timestamp":\#(TemplateValue.string(timestamp).goJSON),"provisionerName":\#(TemplateValue.string(provisioner).goJSON),"#
            + #""x509CertificateRequest":\#(request.goJSON)}"#
        let bytes = Array(body.utf8)
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = .POST
        outgoing.tlsConfiguration = tls
        outgoing.headers.add(name: "Content-Type", value: "application/json")
        outgoing.headers.add(name: "User-Agent", value: "Warden/\(CAServer.version)")
        outgoing.headers.add(name: "X-Smallstep-Webhook-ID", value: hook.id)
        if let secret = Data(base64Encoded: hook.secret) {
            let signature = HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: secret))
            outgoing.headers.add(name: "X-Smallstep-Signature", value: Array(signature).hexString)
        }
        switch hook.authorization {
        case .none: break
        case .bearer(let token): outgoing.headers.add(name: "Authorization", value: "Bearer \(token)")
        case .basic(let username, let password):
            outgoing.headers.add(name: "Authorization", value: "Basic \(Data("\(username):\(password)".utf8).base64EncodedString())")
        }
        outgoing.body = .bytes(ByteBuffer(bytes: bytes))
        let status: UInt
        let received: ByteBuffer
        do {
            let response = try await Self.client.execute(outgoing, timeout: timeout)
            status = response.status.code
            received = try await response.body.collect(upTo: Self.maximumResponse)
        } catch {
            logger.warning("webhook did not answer", metadata: ["webhook": "\(hook.name)", "error": "\(error)"])
            throw .unavailable("webhook \(hook.name) did not answer (\(Self.describe(error)))")
        }
        guard (200..<300).contains(status) else { throw .unavailable("webhook \(hook.name) answered HTTP \(status)") }
        guard let answer = TemplateJSON.parse(String(buffer: received)), case .object(let object) = answer,
            case .bool(let allow) = object["allow"] ?? .null
        else { throw .unavailable("webhook \(hook.name) answered something other than {\"allow\": true|false, \"data\": {…}}") }
        guard allow else { throw .forbidden("webhook \(hook.name) denied the request") }
        switch object["data"] {
        case nil, .null: return .object([:])
        case .some(.object(let data)): return .object(data)
        default: throw .unavailable("webhook \(hook.name) answered data that is not an object")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return "timed out"
        }
        if error is NIOSSLError || "\(error)".contains("handshake") { return "TLS: \(error)" }
        return "\(error)"
    }
}
