import Foundation

/// RFC 5280 CRLReason codes, the values step's `/revoke` accepts (0 through 10; 7 is unassigned).
public enum RevocationReason: Int, CaseIterable, Hashable, Sendable, Codable {
    case unspecified = 0
    case keyCompromise = 1
    case caCompromise = 2
    case affiliationChanged = 3
    case superseded = 4
    case cessationOfOperation = 5
    case certificateHold = 6
    case removeFromCRL = 8
    case privilegeWithdrawn = 9
    case aaCompromise = 10

    public var name: String {
        switch self {
        case .unspecified: "unspecified"
        case .keyCompromise: "keyCompromise"
        case .caCompromise: "cACompromise"
        case .affiliationChanged: "affiliationChanged"
        case .superseded: "superseded"
        case .cessationOfOperation: "cessationOfOperation"
        case .certificateHold: "certificateHold"
        case .removeFromCRL: "removeFromCRL"
        case .privilegeWithdrawn: "privilegeWithdrawn"
        case .aaCompromise: "aACompromise"
        }
    }

    /// Accepts a code ("1") or a name, case-insensitively ("key-compromise", "keyCompromise").
    public init?(parsing text: String) {
        if let code = Int(text) {
            self.init(rawValue: code)
            return
        }
        let normalized = text.lowercased().filter { $0.isLetter }
        guard let match = Self.allCases.first(where: { $0.name.lowercased() == normalized }) else { return nil }
        self = match
    }
}
