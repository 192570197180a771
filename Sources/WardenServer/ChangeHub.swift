import Foundation
import Synchronization
import WardenCore
import WardenStore

/// Fans committed changes out to live subscribers (the `/admin/events` streams of consoles).
/// Slow subscribers lose the oldest buffered events rather than slowing the feed down.
public final class ChangeHub: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<ChangeNotice>.Continuation]>([:])

    public init() {}

    public func publish(_ notice: ChangeNotice) {
        let current = subscribers.withLock { Array($0.values) }
        for continuation in current { continuation.yield(notice) }
    }

    /// A stream of changes from now on; it ends (and unsubscribes) when the consumer stops iterating.
    public func subscribe() -> AsyncStream<ChangeNotice> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: ChangeNotice.self, bufferingPolicy: .bufferingNewest(256))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }

    /// Ends every stream (server shutdown), so open SSE responses finish.
    public func finishAll() {
        let current = subscribers.withLock { state in
            defer { state.removeAll() }
            return Array(state.values)
        }
        for continuation in current { continuation.finish() }
    }
}
