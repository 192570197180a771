import Crypto
import Foundation
import NIOHTTP1
import SwiftASN1
import Testing
import WardenClient
import WardenCore
import WardenPKI
import WardenServer
import WardenStore
import WardenTestSupport
import X509

/// X.509 templates through the real server (TLS, PostgreSQL): what step-ca's templates produce, step-ca's
/// template data, failures as 400 with the template's words (and audited), write-time validation.
@Suite
struct TemplateIssuanceTests {
    static let template = #"""
        {
        	"subject": {
        		"commonName": {{ toJson .Subject.CommonName }},
        		"organization": {{ toJson .organization }},
        		"organizationalUnit": {{ toJson .Insecure.User.team }}
        	},
        {{- if not .Insecure.User.team }}{{ fail "templateData.team is required" }}{{ end }}
        	"sans": {{ toJson .SANs }},
        	"dnsNames": [{{ printf "%s.%s" (lower .Insecure.User.team) .zone | toJson }}],
        	"keyUsage": ["digitalSignature", "keyAgreement"],
        	"extKeyUsage": ["serverAuth", "codeSigning"],
        	"crlDistributionPoints": "http://crl.example.internal/ca.crl",
        	"extensions": [{"id": "1.3.6.1.4.1.99999.1", "critical": false, "value": {{ toJson (b64enc .Token.sub) }}}]
        }
        """#

    /// The provisioner `admin` (ca.json) with `template` and `templateData`; the authority's subject defaults.
    static func configure(_ template: String, data: JSONValue? = .object(["organization": .string("Example Org"), "zone": .string("svc.internal")]))
        -> @Sendable (inout CAConfiguration) throws -> Void
    {
        { configuration in
            var x509: [String: JSONValue] = ["template": .string(template)]
            if let data { x509["templateData"] = data }
            configuration.authority.provisioners[0].fields["options"] = .object(["x509": .object(x509)])
            configuration.authority.template = SubjectDefaults(country: "DE", organization: "Ignored When Set")
        }
    }

    /// Signs with a token and CSR for `subject` and `sans` (default: the subject) and the given request
    /// `templateData`; the status and body whatever they are, and the leaf when issued.
    static func sign(_ ca: RunningCA, subject: String, sans: [String]? = nil, templateData: JSONValue?) async throws
        -> (status: Int, body: String, leaf: Certificate?)
    {
        let names = sans ?? [subject]
        return try await CAClient.withClient(try ca.clientConfiguration()) { client in
            let issuer = try await ca.tokenIssuer(client: client)
            let key = P256.Signing.PrivateKey()
            let token = try await issuer.token(subject: subject, sans: names, audiencePath: "/1.0/sign")
            let csr = try CertificateRequestBuilder.make(subject: subject, sans: names, key: key)
            let body = try JSONEncoder().encode(SignRequest(csr: csr, ott: token, templateData: templateData))
            let response = try await client.exchange(.POST, "/1.0/sign", body: Array(body))
            let text = String(decoding: response.body, as: UTF8.self)
            guard response.status == 201, let sign = try? JSONDecoder().decode(SignResponse.self, from: Data(response.body)) else {
                return (response.status, text, nil)
            }
            return (response.status, text, try PEMBundle.certificates(fromPEM: sign.crt).first)
        }
    }

    @Test func aTemplateShapesTheCertificate() async throws {
        try await RunningCA.with(configure: Self.configure(Self.template)) { ca in
            let issued = try await Self.sign(ca, subject: "api.svc.internal", templateData: .object(["team": .string("payments")]))
            let leaf = try #require(issued.leaf, "\(issued.status) \(issued.body)")
            // Subject: CN from the token, O from the provisioner's templateData, OU from the request's templateData,
            // C from ca.json's authority.template (O there is not used: the template set it).
            #expect(leaf.subject.description == "CN=api.svc.internal,OU=payments,O=Example Org,C=DE", "\(leaf.subject)")
            let sans = try #require(try leaf.extensions.subjectAlternativeNames)
            #expect(Array(sans) == [.dnsName("payments.svc.internal"), .dnsName("api.svc.internal")])
            let usage = try #require(try leaf.extensions.keyUsage)
            #expect(usage.digitalSignature && usage.keyAgreement && !usage.keyEncipherment)
            let extended = try #require(try leaf.extensions.extendedKeyUsage)
            #expect(Array(extended) == [.serverAuth, .codeSigning])
            let custom = try #require(leaf.extensions.first { $0.oid == [1, 3, 6, 1, 4, 1, 99999, 1] })
            #expect(Array(custom.value) == Array("api.svc.internal".utf8))
            let crl = try #require(leaf.extensions.first { $0.oid == [2, 5, 29, 31] })
            #expect(String(decoding: crl.value, as: UTF8.self).contains("http://crl.example.internal/ca.crl"))
            #expect(ProvisionerExtension(certificate: leaf)?.name == "admin")
            // The inventory records what was issued.
            let stored = try await CertificateRepository(database: ca.database).find(serial: leaf.wardenSerial, logger: TestDatabase.logger)
            #expect(stored?.sans == ["payments.svc.internal", "api.svc.internal"])
        }
    }

    @Test func templateFailuresAre400WithTheTemplatesWordsAndAudited() async throws {
        try await RunningCA.with(configure: Self.configure(Self.template)) { ca in
            let refused = try await Self.sign(ca, subject: "api.svc.internal", templateData: nil)
            #expect(refused.status == 400)
            #expect(refused.body.contains("templateData.team is required"), "\(refused.body)")
            let audited = try await TestDatabase.count(
                "audit_events", in: ca.database,
                where: "action = 'certificate.issue' AND outcome = 'failed' AND after->>'error' LIKE '%templateData.team is required%'")
            #expect(audited == 1)
            #expect(try await TestDatabase.count("certificates", in: ca.database) == 0)

            // A type error in the template's use of the request's data: 400 naming the template line and column.
            let typed = try await Self.sign(ca, subject: "api.svc.internal", templateData: .object(["team": .number(7)]))
            #expect(typed.status == 400)
            #expect(typed.body.contains("template: admin:9:"), "\(typed.body)")
            #expect(typed.body.contains("wrong type for value; expected string; got float64"), "\(typed.body)")
        }
    }

    @Test func invalidCertificateJSONNamesTheField() async throws {
        let template = #"{"subject": {{ toJson .Subject }}, "keyUsage": ["digitalSignature", "signing"]}"#
        try await RunningCA.with(configure: Self.configure(template, data: nil)) { ca in
            let refused = try await Self.sign(ca, subject: "a.internal", templateData: nil)
            #expect(refused.status == 400)
            #expect(refused.body.contains(#"keyUsage: unsupported keyUsage \"signing\""#), "\(refused.body)")
        }
    }

    @Test func theDefaultTemplateIsStepsLeaf() async throws {
        try await RunningCA.with { ca in
            let issued = try await Self.sign(ca, subject: "plain.internal", templateData: .object(["ignored": .bool(true)]))
            let leaf = try #require(issued.leaf, "\(issued.body)")
            #expect(leaf.subject.description == "CN=plain.internal")
            let usage = try #require(try leaf.extensions.keyUsage)
            #expect(usage.digitalSignature && !usage.keyEncipherment && !usage.keyAgreement)
            #expect(Array(try #require(try leaf.extensions.extendedKeyUsage)) == [.serverAuth, .clientAuth])
            #expect(try leaf.extensions.basicConstraints == nil)
        }
    }

    @Test func aSubCATemplateWithNameConstraints() async throws {
        let template = #"""
            {
            	"subject": {{ toJson .Subject }},
            	"keyUsage": ["certSign", "crlSign"],
            	"basicConstraints": {"isCA": true, "maxPathLen": 0},
            	"nameConstraints": {"critical": true, "permittedDNSDomains": ["team.internal"], "excludedIPRanges": ["10.0.0.0/8"]}
            }
            """#
        try await RunningCA.with(configure: Self.configure(template, data: nil)) { ca in
            let issued = try await Self.sign(ca, subject: "team-ca.internal", templateData: nil)
            let leaf = try #require(issued.leaf, "\(issued.body)")
            #expect(try leaf.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
            let constraints = try #require(try leaf.extensions.nameConstraints)
            #expect(constraints.permittedDNSDomains.map { $0 } == ["team.internal"])
            #expect(Array(constraints.excludedIPRanges.map { Array($0.bytes) }) == [[10, 0, 0, 0, 255, 0, 0, 0]])
            #expect(leaf.extensions.first { $0.oid == .X509ExtensionID.nameConstraints }?.critical == true)
        }
    }

    @Test func brokenTemplatesAreRefusedWhenWritten() async throws {
        try await RunningCA.with(remoteManagement: true) { ca in
            let fixture = AdminFixture(ca: ca)
            let admin = try await fixture.identity()
            func create(_ name: String, _ template: String) async throws -> (status: Int, body: JSONValue) {
                guard case .object(var body) = try AdminAPITests.jwkProvisioner(name: name) else { return (0, .null) }
                body["x509Template"] = .object(["template": .string(Data(template.utf8).base64EncodedString())])
                let document = JSONValue.object(body)
                return try await fixture.client(admin) { try await $0.json("POST", "/admin/provisioners", document) }
            }
            // Syntax: the line and column of the problem.
            let syntax = try await create("broken-syntax", "{\n  \"subject\": {{ toJson .Subject }\n}")
            expectAdminError(syntax, 400, "badRequest", "template: broken-syntax:2:")
            // An unknown function, named.
            let unknown = try await create("unknown-function", #"{"subject": {{ uuidv4 }}}"#)
            expectAdminError(unknown, 400, "badRequest", "function \"uuidv4\" not defined")
            // Renders, but not to step's certificate JSON.
            let notJSON = try await create("not-json", "subject={{ .Subject.CommonName }}")
            expectAdminError(notJSON, 400, "badRequest", "did not render a JSON object")
            // A template that refuses requests without data (fail) is a valid template.
            let refusing = try await create(
                "refusing", #"{{ if not .Insecure.User.team }}{{ fail "team needed" }}{{ end }}{"subject": {{ toJson .Subject }}}"#)
            #expect(refusing.status == 201, "\(refusing.body)")
            // Nothing broken was stored.
            #expect(
                try await TestDatabase.count("provisioners", in: ca.database, where: "name IN ('broken-syntax', 'unknown-function', 'not-json')") == 0
            )
        }
    }
}
