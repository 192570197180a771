/// A document handed to `$EDITOR` — a provisioner, or a provisioner's X.509 template as plain text —: what it is
/// for, the text as first shown (to tell "no change" from an edit) and the text as last edited (kept when the CA or
/// validation refuses it, so nothing typed is lost).
public struct ConsoleEditorSession: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable {
        case createProvisioner
        case updateProvisioner(name: String)
        /// The provisioner's X.509 template text; the CA checks it when it is saved (400 naming line and column).
        case updateX509Template(name: String)
    }

    public var purpose: Purpose
    public var original: String
    public var text: String

    public init(purpose: Purpose, text: String) {
        self.purpose = purpose
        self.original = purpose == .createProvisioner ? "" : text
        self.text = text
    }

    public var title: String {
        switch purpose {
        case .createProvisioner: "new provisioner"
        case .updateProvisioner(let name): "provisioner \(name)"
        case .updateX509Template(let name): "the X.509 template of \(name)"
        }
    }
}
