import Synchronization
import WardenConsoleCore

/// Events from network tasks to the curses thread (the only thread that touches curses).
final class Inbox: Sendable {
    private let events = Mutex<[ConsoleEvent]>([])

    func post(_ event: ConsoleEvent) {
        events.withLock { $0.append(event) }
    }

    func drain() -> [ConsoleEvent] {
        events.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
    }
}
