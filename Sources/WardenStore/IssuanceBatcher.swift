import Synchronization
import WardenCore

/// Group commit for issuance: requests that arrive while a write is in flight are written together by the next
/// write, in one statement and one commit, instead of queueing for a connection each.
///
/// There is no background task: the first caller becomes the leader and writes its own entry together with
/// whatever is queued; when it is done it hands the lead to the oldest waiting caller (so no request serves
/// others for longer than one write), or, with nobody waiting, ends. A lone request is written at once, alone.
/// Every caller still gets its own answer (recorded, replayed token, conflict, unavailable), and nothing is
/// acknowledged before the statement that holds it has committed.
final class IssuanceBatcher: Sendable {
    struct Entry: Sendable {
        var record: CertificateRecord
        var token: UsedToken?
        var audit: AuditEvent?
    }

    typealias Write = @Sendable ([Entry]) async -> [Result<Void, WardenError>]

    private enum Turn {
        case lead
        case done(Result<Void, WardenError>)
    }

    private struct Waiter {
        var entry: Entry
        var continuation: CheckedContinuation<Turn, Never>
    }

    private struct State {
        var writing = false
        var queue: [Waiter] = []
    }

    private let state = Mutex(State())
    let maximumBatch: Int

    init(maximumBatch: Int = 32) {
        self.maximumBatch = maximumBatch
    }

    /// Writes `entry` (alone or with others) using `write`, which must return one result per entry, in order.
    func submit(_ entry: Entry, write: Write) async throws(WardenError) {
        let turn: Turn = await withCheckedContinuation { continuation in
            let leadNow = state.withLock { state in
                if state.writing {
                    state.queue.append(Waiter(entry: entry, continuation: continuation))
                    return false
                }
                state.writing = true
                return true
            }
            if leadNow { continuation.resume(returning: .lead) }
        }
        switch turn {
        case .done(let result):
            try result.get()
        case .lead:
            try await lead(entry, write: write).get()
        }
    }

    private func lead(_ own: Entry, write: Write) async -> Result<Void, WardenError> {
        let followers = state.withLock { state in
            let taken = Array(state.queue.prefix(maximumBatch - 1))
            state.queue.removeFirst(taken.count)
            return taken
        }
        let results = await write([own] + followers.map(\.entry))
        for (index, follower) in followers.enumerated() {
            follower.continuation.resume(returning: .done(results[index + 1]))
        }
        let next: Waiter? = state.withLock { state in
            guard !state.queue.isEmpty else {
                state.writing = false
                return nil
            }
            return state.queue.removeFirst()
        }
        next?.continuation.resume(returning: .lead)
        return results[0]
    }
}
