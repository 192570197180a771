import CFuzzerDriver
import Foundation
import WardenCore

/// Every request body the server decodes, from the same bytes: `/sign`, `/revoke`, linkedca provisioners (POST
/// and PUT), admin bodies, admin revocations, the NUL check, ca.json. Invariants: a document that validates
/// builds a provisioner that validates again from its own protojson, and whose token identifiers are non-empty.
func fuzzRequestBodies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    let decoder = JSONDecoder()
    _ = try? decoder.decode(SignRequest.self, from: bytes)
    _ = try? decoder.decode(RevokeRequest.self, from: bytes)
    _ = try? decoder.decode(CAConfiguration.self, from: bytes)
    guard let value = try? decoder.decode(JSONValue.self, from: bytes) else { return 0 }
    _ = try? InputText.rejectNUL(in: value)
    _ = try? AdminWire.role(from: value)
    _ = AdminWire.decode(value)
    if let document = try? LinkedProvisionerDocument(parsing: value) {
        let provisioner = document.makeProvisioner()
        precondition(!provisioner.tokenIdentifiers.isEmpty, "every provisioner has a token identifier")
        let again = try? LinkedProvisionerDocument(parsing: provisioner.protoJSON)
        precondition(again != nil, "a stored provisioner's own document must validate")
        _ = try? document.applying(to: provisioner)
        _ = provisioner.configForm
    }
    if let claims = value["claims"] {
        _ = try? LinkedClaims.validate(claims)
        _ = LinkedClaims.toClaims(claims)
    }
    return 0
}

exit(WardenFuzzMain(CommandLine.argc, CommandLine.unsafeArgv, fuzzRequestBodies))
