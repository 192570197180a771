import Foundation
import Testing
import WardenCore

@Suite struct ConfigurationTests {
    static let stepCAJSON = """
        {
          "root": "/ca/certs/root_ca.crt",
          "federatedRoots": null,
          "crt": "/ca/certs/intermediate_ca.crt",
          "key": "/ca/secrets/intermediate_ca_key",
          "address": ":9000",
          "insecureAddress": "",
          "dnsNames": ["ca.internal", "10.0.0.1"],
          "logger": {"format": "text"},
          "db": {"type": "postgresql", "dataSource": "postgresql://step@db:5432/", "database": "stepca"},
          "authority": {
            "enableAdmin": false,
            "claims": {"maxTLSCertDuration": "48h"},
            "provisioners": [
              {"type": "JWK", "name": "ops", "key": {"use": "sig", "kty": "EC", "kid": "abc", "crv": "P-256", "alg": "ES256", "x": "x", "y": "y"},
               "encryptedKey": "e.y.J.h.b", "claims": {"defaultTLSCertDuration": "2h"}, "options": {"x509": {"templateFile": "t.tpl"}}},
              {"type": "ACME", "name": "acme", "forceCN": true, "challenges": ["http-01"]},
              {"type": "k8ssa", "name": "kube", "publicKeys": "LS0t"}
            ]
          },
          "tls": {"minVersion": 1.2},
          "crl": {"enabled": true}
        }
        """

    @Test func readsStepCAConfiguration() throws {
        let config = try JSONDecoder().decode(CAConfiguration.self, from: Data(Self.stepCAJSON.utf8))
        try config.validate()
        #expect(config.root == ["/ca/certs/root_ca.crt"])
        #expect(config.db?.database == "stepca")
        #expect(config.authority.claims?.maxTLSCertDuration == .hours(48))
        #expect(config.authority.provisioners.map(\.type) == [.jwk, .acme, .k8sSA])
        #expect(config.authority.provisioners[0].keyID == "abc")
        #expect(config.authority.provisioners[0].claims?.defaultTLSCertDuration == .hours(2))
        #expect(config.authority.provisioners[1].fields["forceCN"] == .bool(true))
        #expect(config.crl?.enabled == true)
    }

    @Test func provisionersRoundTripTheirTypeSpecificFields() throws {
        let config = try JSONDecoder().decode(CAConfiguration.self, from: Data(Self.stepCAJSON.utf8))
        let encoded = try JSONEncoder().encode(config.authority.provisioners)
        let again = try JSONDecoder().decode([Provisioner].self, from: encoded)
        #expect(again == config.authority.provisioners)
        let raw = try JSONDecoder().decode([JSONValue].self, from: encoded)
        #expect(raw[0]["options"]?["x509"]?["templateFile"] == .string("t.tpl"))
        #expect(raw[2]["type"] == .string("K8sSA"))
    }

    @Test func unknownProvisionerTypeIsAnError() {
        let json = #"{"type":"Kerberos","name":"k"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Provisioner.self, from: Data(json.utf8)) }
    }

    @Test func duplicateProvisionerNamesAreRejected() throws {
        var config = try JSONDecoder().decode(CAConfiguration.self, from: Data(Self.stepCAJSON.utf8))
        config.authority.provisioners.append(config.authority.provisioners[1])
        #expect(throws: WardenError.badRequest("")) { try config.validate() }
    }

    @Test func jwkProvisionerWithoutKeyIsRejected() {
        let provisioner = Provisioner(type: .jwk, name: "nokey")
        #expect(throws: WardenError.badRequest("")) { try provisioner.validate() }
    }

    @Test func reasonsParseByNameOrCode() {
        #expect(RevocationReason(parsing: "key-compromise") == .keyCompromise)
        #expect(RevocationReason(parsing: "KeyCompromise") == .keyCompromise)
        #expect(RevocationReason(parsing: "4") == .superseded)
        #expect(RevocationReason(parsing: "7") == nil)
        #expect(RevocationReason(parsing: "because") == nil)
    }
}
