import AsyncHTTPClient
import Foundation
import NIOCore
import WardenClient
import WardenCore

extension CAClient {
    /// Reads a streaming response (server-sent events) line by line until `until` matches a line or the timeout
    /// passes; `afterConnect` runs once the first bytes arrived.
    func streamLines(
        _ path: String, until: @escaping @Sendable (String) -> Bool, timeout: Duration,
        afterConnect: @escaping @Sendable () async throws -> Void
    ) async throws -> [String] {
        try await withThrowingTaskGroup(of: [String]?.self) { group in
            group.addTask {
                try await self.readEventStream(path, stop: { lines in lines.contains(where: until) }, onFirstChunk: afterConnect)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first ?? []
        }
    }
}
