import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import WardenCore

extension CAClient {
    /// Reads a server-sent event stream (`/admin/events`) line by line. `onFirstChunk` runs once the stream is
    /// open; reading stops when `stop` returns true for the lines so far, or when the server ends the stream.
    public func readEventStream(
        _ path: String = "/admin/events", stop: @Sendable ([String]) -> Bool, onFirstChunk: @Sendable () async throws -> Void = {}
    ) async throws -> [String] {
        var request = HTTPClientRequest(url: configuration.url.absoluteString.trimmingSuffix("/") + path)
        request.method = .GET
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .hours(24))
        } catch {
            throw ConnectionErrorDescription.wardenError(for: error, url: configuration.url)
        }
        guard response.status == .ok else {
            let body = try await response.body.collect(upTo: 1 << 20)
            throw ResponseErrorDecoder.error(status: Int(response.status.code), body: Array(body.readableBytesView), request: "GET \(path)")
        }
        var lines: [String] = []
        var pending = ""
        var first = true
        for try await chunk in response.body {
            pending += String(buffer: chunk)
            while let newline = pending.firstIndex(of: "\n") {
                lines.append(String(pending[..<newline]))
                pending = String(pending[pending.index(after: newline)...])
            }
            if first {
                first = false
                try await onFirstChunk()
            }
            if stop(lines) { break }
        }
        return lines
    }
}
