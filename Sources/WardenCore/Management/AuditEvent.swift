import Foundation

/// One line of the audit trail: who did what to which object, how they authenticated, and what happened.
/// Secrets are redacted before an event is built (see ``SecretRedaction``).
public struct AuditEvent: Hashable, Sendable, Codable {
    public enum Outcome: String, Hashable, Sendable, Codable {
        case success
        case denied
        case failed
    }

    public var id: Int64?
    public var at: Date
    public var actorSubject: String?
    public var actorProvisioner: String?
    public var actorSerial: String?
    public var authMethod: String?
    public var action: String
    public var targetKind: String?
    public var targetID: String?
    public var before: JSONValue?
    public var after: JSONValue?
    public var requestID: String?
    public var remoteAddress: String?
    /// For refusals and failures the reason is kept in `after.error`.
    public var outcome: Outcome

    enum CodingKeys: String, CodingKey {
        case id, at, actorSubject, actorProvisioner, actorSerial, authMethod, action, targetKind
        case targetID, before, after, requestID
        case remoteAddress = "remoteAddress"
        case outcome
    }

    public init(
        at: Date = Date(), actor: AuditActor?, action: String, targetKind: String?, targetID: String?,
        before: JSONValue? = nil, after: JSONValue? = nil, requestID: String?, remoteAddress: String?, outcome: Outcome
    ) {
        self.id = nil
        self.at = at
        self.actorSubject = actor?.subject
        self.actorProvisioner = actor?.provisioner
        self.actorSerial = actor?.serial
        self.authMethod = actor?.method
        self.action = action
        self.targetKind = targetKind
        self.targetID = targetID
        self.before = before
        self.after = after
        self.requestID = requestID
        self.remoteAddress = remoteAddress
        self.outcome = outcome
    }
}

/// Who acted, as far as it is known (an authentication failure may know only a serial or nothing).
public struct AuditActor: Hashable, Sendable {
    public var subject: String?
    public var provisioner: String?
    public var serial: String?
    /// "mtls" or "x5c-token".
    public var method: String?

    public init(subject: String?, provisioner: String?, serial: String?, method: String?) {
        self.subject = subject
        self.provisioner = provisioner
        self.serial = serial
        self.method = method
    }
}

/// Replaces secret values (encrypted keys, client secrets, challenges, passwords) before anything is written
/// to the audit log.
public enum SecretRedaction {
    static let secretKeys: Set<String> = [
        "encryptedPrivateKey", "encrypted_private_key", "encryptedKey", "clientSecret", "client_secret", "challenge",
        "keyPassword", "key_password", "key", "password", "secret", "bearerToken", "decrypterKeyPassword", "decrypterKeyPEM",
    ]

    public static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var out: [String: JSONValue] = [:]
            for (key, inner) in object {
                if secretKeys.contains(key), inner != .null, inner != .string("") {
                    // The public half of a JWK ("key" in ca.json form) is not secret; everything else named so is.
                    if key == "key", case .object(let jwk) = inner, jwk["d"] == nil {
                        out[key] = inner
                    } else {
                        out[key] = .string("[REDACTED]")
                    }
                } else {
                    out[key] = redact(inner)
                }
            }
            return .object(out)
        case .array(let array):
            return .array(array.map(redact))
        default:
            return value
        }
    }
}
