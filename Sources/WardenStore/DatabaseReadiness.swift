import Synchronization

/// Opens once the database exists and its schema is migrated; services that talk to PostgreSQL on their own
/// connections (the change feed) wait for it, so a first start against a database that does not exist yet
/// logs no spurious connection failure.
public final class DatabaseReadiness: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Void, Never>])
        case ready
    }

    private let state = Mutex(State.waiting([]))

    public init() {}

    public func markReady() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = .ready
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    public func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = state.withLock { state in
                switch state {
                case .ready:
                    return true
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return false
                }
            }
            if resumeNow { continuation.resume() }
        }
    }
}
