import Foundation
import Synchronization

/// Bounds how many refused admin authentications are written to the audit log, so that anyone who can reach
/// the port cannot grow `audit_events` without limit by sending bad credentials.
///
/// Per remote address at most ``perAddress`` denials per window are recorded, and at most ``overall`` across
/// all addresses; the rest are counted, and the count is recorded with the address's next recorded denial so
/// the log still says how many there were.
final class DenialAuditLimiter: Sendable {
    struct Decision: Equatable, Sendable {
        /// Write this denial to the audit log.
        var record: Bool
        /// Denials from this address that were not recorded since its last recorded one.
        var suppressedBefore: Int
    }

    private struct Window {
        var started: Date
        var recorded: Int
        var suppressed: Int
    }

    private struct State {
        var windowStarted: Date
        var recordedOverall = 0
        var addresses: [String: Window] = [:]
    }

    let window: TimeInterval
    let perAddress: Int
    let overall: Int
    /// Addresses tracked at once; beyond it the table starts over (a flood from many addresses is then held by
    /// ``overall``).
    let trackedAddresses: Int
    private let state: Mutex<State>

    init(window: TimeInterval = 60, perAddress: Int = 30, overall: Int = 600, trackedAddresses: Int = 10_000, now: Date = Date()) {
        self.window = window
        self.perAddress = perAddress
        self.overall = overall
        self.trackedAddresses = trackedAddresses
        self.state = Mutex(State(windowStarted: now))
    }

    func decide(address: String?, now: Date = Date()) -> Decision {
        let key = address ?? "unknown"
        return state.withLock { state in
            if now.timeIntervalSince(state.windowStarted) >= window {
                state.windowStarted = now
                state.recordedOverall = 0
            }
            if state.addresses[key] == nil, state.addresses.count >= trackedAddresses { state.addresses.removeAll() }
            var entry = state.addresses[key] ?? Window(started: now, recorded: 0, suppressed: 0)
            if now.timeIntervalSince(entry.started) >= window {
                entry.started = now
                entry.recorded = 0
            }
            defer { state.addresses[key] = entry }
            guard entry.recorded < perAddress, state.recordedOverall < overall else {
                entry.suppressed += 1
                return Decision(record: false, suppressedBefore: 0)
            }
            entry.recorded += 1
            state.recordedOverall += 1
            let suppressed = entry.suppressed
            entry.suppressed = 0
            return Decision(record: true, suppressedBefore: suppressed)
        }
    }
}
