import Foundation
import Testing
import WardenCore

/// ca.json ↔ linkedca conversion (migration of a ca.json, `warden apply` of ca.json spellings, `/provisioners`).
@Suite struct LinkedProvisionerConfigFormTests {
    @Test func scepDecrypterSurvivesMigrationAndComesBack() throws {
        let certificate = Data("cert-der".utf8).base64EncodedString()
        let key = Data("key-pem".utf8).base64EncodedString()
        let scep = Provisioner(
            type: .scep, name: "scep",
            fields: [
                "challenge": .string("s3cret"), "decrypterCertificate": .string(certificate), "decrypterKeyPEM": .string(key),
                "decrypterKeyURI": .string("kms:name=x"), "decrypterKeyPassword": .string("pw"),
            ])
        let linked = LinkedProvisioner(migrating: scep)
        #expect(
            linked.details["decrypter"]
                == .object([
                    "certificate": .string(certificate), "key": .string(key), "keyUri": .string("kms:name=x"),
                    "keyPassword": .string(Data("pw".utf8).base64EncodedString()),
                ]))
        let back = linked.configForm.fields
        for name in ["decrypterCertificate", "decrypterKeyPEM", "decrypterKeyURI", "decrypterKeyPassword", "challenge"] {
            #expect(back[name] == scep.fields[name], "\(name)")
        }
    }

    @Test func acmeEnumsAreAcceptedInEitherSpellingAndKeptAsEnums() throws {
        let document = try LinkedProvisionerDocument(
            parsing: .object([
                "name": .string("acme"), "type": .string("ACME"),
                "details": .object(["ACME": .object(["challenges": .array([.string("http-01"), .string("TLS_ALPN_01")])])]),
            ]))
        #expect(document.details["challenges"] == .array([.string("HTTP_01"), .string("TLS_ALPN_01")]))
        #expect(throws: WardenError.self) {
            try LinkedProvisionerDocument(
                parsing: .object([
                    "name": .string("acme"), "details": .object(["ACME": .object(["challenges": .array([.string("http_02")])])]),
                ]))
        }
    }

    @Test func configKeysListWhatMigrationReads() {
        #expect(LinkedProvisioner.configKeys(for: .jwk) == ["key", "encryptedKey"])
        #expect(LinkedProvisioner.configKeys(for: .acme).isSuperset(of: ["challenges", "forceCN", "requireEAB"]))
        #expect(LinkedProvisioner.configKeys(for: .scep).contains("decrypterKeyPEM"))
        #expect(LinkedProvisioner.configKeys(for: .sshPOP).isEmpty)
    }
}
