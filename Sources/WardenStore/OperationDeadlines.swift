import Synchronization

/// Deadlines for database operations, enforced by one ticker instead of one sleeping task per operation.
///
/// Every request makes one or more database calls and each must give up when PostgreSQL does not answer
/// (503 instead of a hung request). A `Task.sleep` per call armed and cancelled a dispatch timer each time,
/// which profiles showed at ~8% of an admin request's CPU; here a call only takes a lock to register, and the
/// ticker (run by ``Database``) wakes the calls whose deadline passed, at ``resolution``.
final class OperationDeadlines: Sendable {
    static let resolution: Duration = .milliseconds(100)

    private enum Slot {
        /// Registered; the waiter has not parked yet.
        case pending(ContinuousClock.Instant)
        case waiting(ContinuousClock.Instant, CheckedContinuation<Bool, Never>)
        /// Cancelled before the waiter parked: it resumes at once when it does.
        case cancelled
    }

    private struct State {
        var nextID: UInt64 = 0
        var slots: [UInt64: Slot] = [:]
    }

    private let state = Mutex(State())

    /// Returns true when `deadline` passes, false as soon as the calling task is cancelled (the operation
    /// finished first).
    func wait(until deadline: ContinuousClock.Instant) async -> Bool {
        let id = state.withLock { state in
            state.nextID &+= 1
            state.slots[state.nextID] = .pending(deadline)
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let resumeNow: Bool = state.withLock { state in
                    guard case .pending(let deadline) = state.slots[id] else {
                        state.slots[id] = nil
                        return true
                    }
                    state.slots[id] = .waiting(deadline, continuation)
                    return false
                }
                if resumeNow { continuation.resume(returning: false) }
            }
        } onCancel: {
            let waiting: CheckedContinuation<Bool, Never>? = state.withLock { state in
                switch state.slots[id] {
                case .pending:
                    state.slots[id] = .cancelled
                    return nil
                case .waiting(_, let continuation):
                    state.slots[id] = nil
                    return continuation
                case .cancelled, nil:
                    return nil
                }
            }
            waiting?.resume(returning: false)
        }
    }

    /// Wakes every waiter whose deadline is at or before `now`.
    func expire(now: ContinuousClock.Instant) {
        let due: [CheckedContinuation<Bool, Never>] = state.withLock { state in
            var due: [CheckedContinuation<Bool, Never>] = []
            for (id, slot) in state.slots {
                if case .waiting(let deadline, let continuation) = slot, deadline <= now {
                    state.slots[id] = nil
                    due.append(continuation)
                }
            }
            return due
        }
        for continuation in due { continuation.resume(returning: true) }
    }

    /// Ticks until cancelled.
    func run() async {
        let clock = ContinuousClock()
        while !Task.isCancelled {
            try? await clock.sleep(for: Self.resolution)
            expire(now: clock.now)
        }
    }
}
