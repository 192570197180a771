import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WardenCore

/// JSON responses with the exact status codes step's clients expect (201 for `/sign`, even for `/roots`).
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var data = try encoder.encode(value)
        data.append(0x0a)  // Go's encoding/json writes a trailing newline; keep byte-level habits the same
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func raw(_ bytes: [UInt8], contentType: String, status: HTTPResponse.Status = .ok, extraHeaders: HTTPFields = [:])
        -> Response
    {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Reads a JSON request body with a size cap, turning every decoding failure into a 400 that names the field.
enum RequestBody {
    /// 1 MiB: far above any CSR or admin object, far below memory pressure.
    static let limit = 1 << 20

    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let data = try await collect(request)
        // Every body is first read as plain JSON and checked for NUL characters (which PostgreSQL cannot store
        // and no field needs), so the 400 names the field instead of the database failing later.
        try InputText.rejectNUL(in: try parse(JSONValue.self, data))
        return try parse(T.self, data)
    }

    /// A body that must be a JSON object (admin requests): `[1]` or `"x"` is a 400, never read as "no fields".
    static func decodeObject(from request: Request) async throws -> [String: JSONValue] {
        guard case .object(let object) = try await decode(JSONValue.self, from: request) else {
            throw WardenError.badRequest("body: expected a JSON object")
        }
        return object
    }

    private static func collect(_ request: Request) async throws -> Data {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw WardenError(.payloadTooLarge, "request body exceeds the limit of \(limit) bytes")
        } catch {
            // The client went away (or broke TLS) before its body was complete: its mistake, logged as a refusal.
            throw WardenError.badRequest("request body incomplete: the connection closed before it was sent")
        }
        guard buffer.readableBytes > 0 else { throw WardenError.badRequest("request body is empty") }
        return Data(buffer.readableBytesView)
    }

    private static func parse<T: Decodable>(_ type: T.Type, _ data: Data) throws(WardenError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw WardenError.badRequest("error decoding request body: \(describeDecodingError(error))")
        }
    }
}
