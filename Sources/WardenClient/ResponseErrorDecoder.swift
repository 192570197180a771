import Foundation
import WardenCore

/// Reads either error shape Warden speaks (`{status,message}` on public routes, `{type,detail,message}` on admin
/// routes) into a ``WardenError`` with the server's own words.
enum ResponseErrorDecoder {
    struct AnyErrorBody: Decodable {
        var message: String?
        var type: String?
        var detail: String?
    }

    /// `request` ("GET /admin/admins") goes into the diagnostic with the status and the body as received.
    static func error(status: Int, body: [UInt8], request: String) -> WardenError {
        let message: String
        if let decoded = try? JSONDecoder().decode(AnyErrorBody.self, from: Data(body)), let text = decoded.message ?? decoded.detail {
            message = text
        } else {
            let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            message = text.isEmpty ? "HTTP \(status)" : text
        }
        let received = String(decoding: body.prefix(2000), as: UTF8.self)
        let diagnostic = "HTTP \(status) from \(request)\nbody: \(received.isEmpty ? "(empty)" : received)"
        if status == 501 && request.contains(" /admin") {
            // step-ca's words for it ("administration API not enabled"), said so that an operator knows the fix.
            return WardenError(.notImplemented, Self.remoteManagementOff, diagnostic: diagnostic)
        }
        return WardenError(WardenError.Code(httpStatus: status), message, diagnostic: diagnostic)
    }

    static let remoteManagementOff =
        "remote management is not enabled on this CA; set authority.enableAdmin to true in ca.json and restart warden serve"
}

/// Turns transport failures (refused connections, TLS alerts) into one readable line.
enum ConnectionErrorDescription {
    static func wardenError(for error: any Error, url: URL) -> WardenError {
        var described = describe(error, url: url)
        described.diagnostic = "transport error talking to \(url.absoluteString): \(String(describing: error))"
        return described
    }

    static func describe(_ error: any Error, url: URL) -> WardenError {
        let text = String(describing: error)
        let host = url.host ?? "?"
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("handshakeFailed") && text.contains("verify") {
            return .unavailable("cannot verify the CA's TLS certificate at \(host): is --root the right root?")
        }
        if text.contains("CERTIFICATE_UNKNOWN") || text.contains("UNKNOWN_CA") || text.contains("CERTIFICATE_REQUIRED") {
            return .unauthorized(
                "the CA rejected our client certificate (\(text.contains("UNKNOWN_CA") ? "unknown CA" : "certificate unknown")): expired, revoked or from another CA?"
            )
        }
        if text.contains("connectTimeout") || text.contains("Connection refused") || text.contains("connect(descriptor:") {
            return .unavailable("cannot connect to the CA at \(url.absoluteString): connection refused or timed out")
        }
        if text.contains("deadlineExceeded") || text.contains("readTimeout") {
            return .unavailable("the CA at \(url.absoluteString) did not answer in time")
        }
        return .unavailable("cannot reach the CA at \(url.absoluteString): \(text.prefix(200))")
    }
}
