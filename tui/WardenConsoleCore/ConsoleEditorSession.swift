/// A provisioner document handed to `$EDITOR`: what it is for, the text as first shown (to tell "no change"
/// from an edit) and the text as last edited (kept when the CA or validation refuses it, so nothing typed is lost).
public struct ConsoleEditorSession: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable {
        case createProvisioner
        case updateProvisioner(name: String)
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
        }
    }
}
