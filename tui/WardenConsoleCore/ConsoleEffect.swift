import WardenCore

/// Work the reducer asks the runtime to do; results come back as events.
public enum ConsoleEffect: Hashable, Sendable {
    /// Load a view (first page when `cursor` is nil, next page otherwise) with the server-side filter.
    case load(ConsoleView, filter: String, cursor: String?)
    case revokeCertificate(serial: String, reasonCode: Int)
    case removeAdmin(id: String)
    case removeProvisioner(name: String)
    case setAdminRole(id: String, superAdmin: Bool)
    case createAdmin(subject: String, provisioner: String, superAdmin: Bool)
    case createJWKProvisioner(name: String, password: String)
    /// Read a provisioner's full document to edit it (answered by ``ConsoleEvent/editorReady(_:)``).
    case fetchProvisionerDocument(name: String)
    /// Read a provisioner's X.509 template (step's default leaf template when it has none) to edit it.
    case fetchX509Template(name: String)
    /// Suspend curses and open `$EDITOR` on the session's text. Carried out by the curses thread itself.
    case openEditor(ConsoleEditorSession)
    /// Create or replace a provisioner with a document already validated locally (for a template session, the
    /// document is the template text, put into the provisioner's `x509Template` when saved).
    case saveProvisioner(ConsoleEditorSession, document: JSONValue)
    case updateClaims(provisioner: String, X509ClaimsEdit)
    case quit
}
