/// What happens to the console: keys, API results, change notices, resizes.
public enum ConsoleEvent: Sendable {
    case key(ConsoleKey)
    case loaded(ConsoleView, rows: [ConsoleRow], nextCursor: String, appended: Bool)
    /// A load or an action failed: the message is shown until the next success; the data is marked stale.
    case failed(String)
    /// An action succeeded: a toast, and the views it touched reload.
    case succeeded(String, reload: [ConsoleView])
    /// A form submission was refused by the server: shown in the form, which stays open.
    case formFailed(String)
    /// A change committed anywhere (server-sent event), by kind: provisioner, admin, certificate, revocation.
    case changed(kind: String)
    case resized(width: Int, height: Int)
}
