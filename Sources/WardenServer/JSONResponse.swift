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
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw WardenError(.payloadTooLarge, "request body exceeds the limit of \(limit) bytes")
        }
        guard buffer.readableBytes > 0 else { throw WardenError.badRequest("request body is empty") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw WardenError.badRequest("error decoding request body: \(describeDecodingError(error))")
        }
    }
}
