/// What happens to the console: keys, API results, change notices, resizes.
public enum ConsoleEvent: Sendable {
    case key(ConsoleKey)
    /// A page arrived. `filter` is the search it answers: an answer to an older search is dropped, so a slow
    /// response can never overwrite a newer one.
    case loaded(ConsoleView, rows: [ConsoleRow], nextCursor: String, appended: Bool, filter: String = "")
    /// A load or an action failed: the message is shown until the next success; the data is marked stale.
    /// `detail` (HTTP status and body, transport error, credential used) is what `!` shows.
    case failed(String, detail: String? = nil)
    /// An action succeeded: a toast, and the views it touched reload.
    case succeeded(String, reload: [ConsoleView])
    /// A form submission was refused by the server: shown in the form, which stays open.
    case formFailed(String)
    /// A change committed anywhere (server-sent event), by kind: provisioner, admin, certificate, revocation.
    case changed(kind: String)
    case resized(width: Int, height: Int)
    /// A provisioner's document was read and can be edited.
    case editorReady(ConsoleEditorSession)
    /// `$EDITOR` exited: the edited text, or nil when the editor failed.
    case editorFinished(ConsoleEditorSession, text: String?)
    /// The CA refused an edited document: shown with the choice to edit again.
    case editorRejected(ConsoleEditorSession, message: String)
}
